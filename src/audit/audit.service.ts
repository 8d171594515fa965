import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuthAccount } from '../access/account-context';
import { can } from '../access/capabilities';
import { isSensitiveChange } from '../access/sensitive';
import { connectionFrom, idAfter, type Connection, type PageRequest } from '../graphql/connection';
import { codedError } from '../graphql/errors';
import { AuditEvent } from './audit-event.entity';


/**
 * The changes of an event as the reader may see them: a sensitive field the reader may not read
 * shows as "changed", without its values, rather than vanishing.
 */
export function visibleChanges(event: AuditEvent, account: AuthAccount): Record<string, unknown> {
  if (can(account.role, 'readSensitive')) return event.changes;
  // What is sensitive is listed once, in src/access/sensitive.ts (docs/access.md, "Sensitive data").
  return Object.fromEntries(
    Object.entries(event.changes).map(([column, values]) => [column, isSensitiveChange(event.entityType, column) ? 'changed' : values]),
  );
}

export interface AuditFilterValues {
  unitPath?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  accountId?: string | null;
  memberId?: string | null;
  from?: Date | null;
  to?: Date | null;
  action?: string | null;
}

/** Reading the audit trail: newest first, within scope (the filter on AuditEvent and RLS). */
export class AuditService {
  constructor(private readonly em: EntityManager) {}

  async list(filter: AuditFilterValues, page: PageRequest): Promise<Connection<AuditEvent>> {
    const where = (): object => {
      const conditions: object[] = [];
      if (filter.unitPath) conditions.push({ [raw('scope_path <@ ?::ltree', [filter.unitPath])]: [] });
      if (filter.entityType) conditions.push({ entityType: filter.entityType });
      if (filter.entityId) conditions.push({ entityId: filter.entityId });
      if (filter.accountId) conditions.push({ accountId: filter.accountId });
      if (filter.memberId) conditions.push({ memberId: filter.memberId });
      if (filter.action) conditions.push({ action: filter.action });
      if (filter.from) conditions.push({ at: { $gte: filter.from } });
      if (filter.to) conditions.push({ at: { $lt: filter.to } });
      return conditions.length ? { $and: conditions } : {};
    };
    const after = idAfter(page);
    const events = await this.em.find(AuditEvent, after ? { $and: [where(), { id: { $lt: after } }] } : where(), {
      orderBy: { id: 'desc' },
      limit: page.first + 1,
    });
    return connectionFrom(events, page, (e) => [e.id], () => this.em.count(AuditEvent, where()));
  }

  async integrity(): Promise<{ intact: boolean; brokenEventId: string | null; problem: string | null; events: number; head: string | null }> {
    const [row] = await this.em
      .getConnection()
      .execute<{ broken_id: string | null; problem: string | null; events: string; head: Buffer | null }[]>(
        'select broken_id::text, problem, events, head from hoso_verify_audit()',
        [],
        'all',
        this.em.getTransactionContext(),
      );
    return {
      intact: row.broken_id === null,
      brokenEventId: row.broken_id,
      problem: row.problem,
      events: Number(row.events),
      head: row.head ? Buffer.from(row.head).toString('hex') : null,
    };
  }
}
