import type { EntityManager } from '@mikro-orm/postgresql';
import { readOnlyFromRow, rowOf } from '../database/read-only';
import { Member } from './member.entity';
import { AuditEvent } from '../audit/audit-event.entity';

/**
 * A record as it was at an earlier instant, rebuilt from its current state by undoing, newest
 * first, every recorded change made after that instant. This needs no baseline copy: the current
 * row plus the history after the instant determine the row at the instant.
 */
export function undo(row: Record<string, unknown> | null, events: readonly AuditEvent[]): Record<string, unknown> | null {
  let state = row ? { ...row } : null;
  for (const event of events) {
    if (event.action === 'INSERT') {
      state = null; // it did not exist yet
    } else {
      state ??= {};
      for (const [column, [old]] of Object.entries(event.changes)) state[column] = old;
    }
  }
  return state;
}

/** History after the instant, kept on a reconstructed member for its sub-records. */
export interface AsOf {
  instant: Date;
  eventsAfter: AuditEvent[];
}

const asOfKey = Symbol('asOf');

export function asOfOf(member: Member): AsOf | undefined {
  return (member as unknown as Record<symbol, AsOf | undefined>)[asOfKey];
}

/** The member as it was at `instant` (null if it did not exist then), with what its sub-records need. */
export async function memberAsOf(em: EntityManager, member: Member, instant: Date): Promise<Member | null> {
  const eventsAfter = await em.find(AuditEvent, { memberId: member.id, at: { $gt: instant } }, { orderBy: { id: 'desc' } });
  const own = eventsAfter.filter((e) => e.entityType === 'member' && e.entityId === member.id);
  const row = undo(rowOf(em, Member, member), own);
  if (!row) return null;
  const past = readOnlyFromRow(em, Member, { ...row, id: member.id });
  (past as unknown as Record<symbol, AsOf>)[asOfKey] = { instant, eventsAfter };
  return past;
}

/**
 * Rows of one table of a member's file as they were at the member's instant: each current row
 * with later changes undone; rows created later are dropped.
 */
export function rowsAsOf<T extends object>(em: EntityManager, entity: { name: string; prototype: T }, table: string, current: readonly T[], asOf: AsOf): T[] {
  const byEntity = new Map<string, AuditEvent[]>();
  for (const event of asOf.eventsAfter) {
    if (event.entityType !== table) continue;
    byEntity.set(event.entityId, [...(byEntity.get(event.entityId) ?? []), event]);
  }
  return current.flatMap((item) => {
    const id = String((item as { id: string }).id);
    const row = undo(rowOf(em, entity, item), byEntity.get(id) ?? []);
    return row ? [readOnlyFromRow(em, entity, { ...row, id })] : [];
  });
}
