import type { EntityManager } from '@mikro-orm/postgresql';
import { scopedQuery } from '../database/scoped-query';
import { runStatement } from '../database/sql';
import { codedError } from '../graphql/errors';
import { connectionFrom, cursorAfter, type Connection, type PageRequest } from '../graphql/connection';
import { dateInRange } from '../graphql/scalars';
import { Decision } from '../graphql/decision';
import { OrgUnit, type UnitKind } from './org-unit.entity';
import { asOfOf, onKey, type UnitLoaders } from './units.loaders';
import { lineageSql } from './units.queries';
import { ReorganisationKind, type LineageStep, type UnitLineage } from './lineage.types';
import { isId } from '../graphql/ids';

/** Reads of the unit tree; every query is scoped by the filter on OrgUnit (or the same predicate in SQL). */
export class UnitsService {
  constructor(
    private readonly em: EntityManager,
    private readonly loaders: UnitLoaders,
  ) {}

  /**
   * One unit by id or by code. A code never changes and is never reused, so an old code finds its
   * unit, also after the unit ended (its `validTo` and `lineage` then say when and into what).
   * With `asOf`, the unit as it was that day (name, parent), or null if it did not exist then.
   */
  async findOne(where: { id?: string | null; code?: string | null }, asOf?: string | null): Promise<OrgUnit | null> {
    const given = [where.id, where.code].filter((v) => v !== undefined && v !== null);
    if (given.length !== 1) throw codedError('BAD_USER_INPUT', 'Give exactly one of id or code.');
    let id = where.id ?? null;
    if (!id) {
      const unit = await this.em.findOne(OrgUnit, { code: where.code!.trim().toUpperCase() });
      if (!unit || !asOf) return unit;
      id = unit.id;
    }
    if (!isId(id)) return null;
    if (!asOf) return this.loaders.unitById.load(id);
    const date = dateInRange(asOf, 'asOf');
    return this.loaders.unitOn.load(onKey(date, id));
  }

  /** The unit above: of the same date as the unit was read. */
  async parent(unit: OrgUnit): Promise<OrgUnit | null> {
    if (!unit.parent) return null;
    const date = asOfOf(unit);
    return date ? this.loaders.unitOn.load(onKey(date, unit.parent.id)) : this.loaders.unitById.load(unit.parent.id);
  }

  /** The children of a unit in scope (of the unit's date, or today's), batched across the units of a list. */
  async children(unit: OrgUnit, page: PageRequest): Promise<Connection<OrgUnit>> {
    const date = asOfOf(unit);
    const all = date ? await this.loaders.childrenOn.load(onKey(date, unit.id)) : await this.loaders.childrenOf.load(unit.id);
    const after = cursorAfter(page, ['text'] as const)?.[0] ?? null;
    const rest = after ? all.filter((u) => u.code > after) : all;
    return connectionFrom(rest.slice(0, page.first + 1), page, (u) => [u.code], async () => all.length);
  }

  /**
   * Units in scope, optionally only the children of one unit or of one kind, ordered by code:
   * those existing today, or with `asOf` those existing that day, as they were.
   */
  async list(where: { parentId?: string | null; kind?: UnitKind | null; asOf?: string | null }, page: PageRequest): Promise<Connection<OrgUnit>> {
    if (where.asOf) return this.listOn(where, dateInRange(where.asOf, 'asOf'), page);
    const { qb } = await scopedQuery(this.em, OrgUnit, 'u');
    qb.andWhere({ validTo: null });
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

  /** The list as of a date: children of a unit of that date, or every unit in scope then (tens to a few thousand). */
  private async listOn(where: { parentId?: string | null; kind?: UnitKind | null }, date: string, page: PageRequest): Promise<Connection<OrgUnit>> {
    let units: OrgUnit[];
    if (where.parentId) {
      if (!isId(where.parentId) || !(await this.loaders.unitById.load(where.parentId))) return connectionFrom([], page, () => [], async () => 0);
      units = await this.loaders.childrenOn.load(onKey(date, where.parentId));
    } else {
      const { qb } = await scopedQuery(this.em, OrgUnit, 'u');
      const ids = (await qb.select('id').execute<{ id: string }[]>('all', false)).map((r) => String(r.id));
      units = (await this.loaders.unitOn.loadMany(ids.map((id) => onKey(date, id)))).filter((u): u is OrgUnit => !!u && !(u instanceof Error));
    }
    const matching = units.filter((u) => !where.kind || u.kind === where.kind);
    matching.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const after = cursorAfter(page, ['text'] as const)?.[0] ?? null;
    const rest = after ? matching.filter((u) => u.code > after) : matching;
    return connectionFrom(rest.slice(0, page.first + 1), page, (u) => [u.code], async () => matching.length);
  }

  /** Where the unit came from and went: the reorganisation steps it took part in. */
  async lineage(unit: OrgUnit): Promise<UnitLineage> {
    const rows = await runStatement(this.em, lineageSql(), [unit.id, unit.id]);
    const lineage: UnitLineage = { predecessors: [], successors: [], changes: [] };
    for (const row of rows) {
      const step: LineageStep = {
        kind: row.kind as ReorganisationKind,
        effectiveOn: row.effective_on as string,
        from: { id: String(row.unit_id), code: row.from_code as string, name: row.from_name as string },
        to: row.to_unit_id === null ? null : { id: String(row.to_unit_id), code: row.to_code as string, name: row.to_name as string },
        decision: Object.assign(new Decision(), { number: row.decision_number, date: row.decision_date, issuedBy: row.decision_body }),
        reason: row.reason as string,
      };
      if (step.to?.id === step.from.id) lineage.changes.push(step);
      else if (step.from.id === unit.id) lineage.successors.push(step);
      else lineage.predecessors.push(step);
    }
    return lineage;
  }
}
