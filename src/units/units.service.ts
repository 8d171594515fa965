import type { EntityManager } from '@mikro-orm/postgresql';
import { scopedQuery } from '../database/scoped-query';
import { codedError } from '../graphql/errors';
import { connectionFrom, cursorAfter, type Connection, type PageRequest } from '../graphql/connection';
import { OrgUnit, type UnitKind } from './org-unit.entity';
import type { UnitLoaders } from './units.loaders';
import { isId } from '../graphql/ids';

/** Reads of the unit tree; every query is scoped by the filter on OrgUnit. */
export class UnitsService {
  constructor(private readonly em: EntityManager) {}

  async findOne(where: { id?: string | null; code?: string | null }): Promise<OrgUnit | null> {
    const given = [where.id, where.code].filter((v) => v !== undefined && v !== null);
    if (given.length !== 1) throw codedError('BAD_USER_INPUT', 'Give exactly one of id or code.');
    if (where.id) return isId(where.id) ? this.em.findOne(OrgUnit, { id: where.id }) : null;
    return this.em.findOne(OrgUnit, { code: where.code!.trim().toUpperCase() });
  }

  /** The children of a unit in scope, batched across the units of a list (one query for all). */
  async children(unit: OrgUnit, loaders: UnitLoaders, page: PageRequest): Promise<Connection<OrgUnit>> {
    const all = await loaders.childrenOf.load(unit.id);
    const after = cursorAfter(page, ['text'] as const)?.[0] ?? null;
    const rest = after ? all.filter((u) => u.code > after) : all;
    return connectionFrom(rest.slice(0, page.first + 1), page, (u) => [u.code], async () => all.length);
  }

  /** Units in scope, optionally only the children of one unit or of one kind, ordered by code. */
  async list(where: { parentId?: string | null; kind?: UnitKind | null }, page: PageRequest): Promise<Connection<OrgUnit>> {
    const { qb } = await scopedQuery(this.em, OrgUnit, 'u');
    if (where.parentId) {
      // The parent itself must be in scope, or the answer would confirm which unit is above yours.
      const parent = isId(where.parentId) ? await this.em.findOne(OrgUnit, { id: where.parentId }) : null;
      if (!parent) return connectionFrom([], page, () => [], async () => 0);
      qb.andWhere({ parent: parent.id });
    }
    if (where.kind) qb.andWhere({ kind: where.kind });
    const countQb = qb.clone();
    const after = cursorAfter(page, ['text'] as const);
    if (after) qb.andWhere({ code: { $gt: after[0] } });
    const units = await qb.orderBy({ code: 'asc' }).limit(page.first + 1).getResultList();
    return connectionFrom(units, page, (u) => [u.code], () => countQb.getCount());
  }
}
