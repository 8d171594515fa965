import { scopeSql } from '../access/scope';

/**
 * Every statement reorganiseUnits sends (src/units/reorganisation.service.ts), in one place: the
 * reads the plan is checked against, the writes that carry it out, the report. Values are `?`
 * placeholders bound in order; src/units/reorganisation.queries.sql is the committed text.
 *
 * The writes go to org_unit, member_unit_period, member, transfer, post and account as the API role,
 * so row-level security binds them; the triggers do the rest (unit_period, paths of the subtree
 * and of its members, reporting facts, counters, audit events), dated on `app.effective_on`.
 */

/** The unit columns the plan reads, with the starts of the latest periods of the unit and of the units below it. */
const UNIT_FACTS = `u.id::text as id, u.code, u.name, u.kind, u.parent_id::text as "parentId", u.path::text as path, u.valid_to::text as "validTo",
       (select max(p.valid_from)::text from unit_period p where p.unit_id = u.id) as "periodFrom",
       (select max(p.valid_from)::text from org_unit d join unit_period p on p.unit_id = d.id
         where d.path <@ u.path and d.id <> u.id) as "subtreeFrom"`;

export const REORGANISATION_SQL = {
  /**
   * The day the tree's triggers date every change on (hoso_effective_on), for this transaction;
   * and room for the name indexes' pending entries, since a reorganisation rewrites the path of
   * every member below the units it moves (tens of thousands of rows in a city's reform).
   */
  setEffectiveOn: `select set_config('app.effective_on', ?, true), set_config('gin_pending_list_limit', '65536', true)`,
  /** Back to today once the work is done, so what the request does next is dated as usual. */
  clearEffectiveOn: `select set_config('app.effective_on', '', true)`,

  /** Named units with their ancestors in scope, and the alive children of the steps' units. Binds: named ids, step unit ids, scope. */
  units: `select ${UNIT_FACTS}
  from org_unit u
 where (u.path @> any(array(select r.path from org_unit r where r.id = any(?::bigint[])))
        or (u.parent_id = any(?::bigint[]) and u.valid_to is null))
   and ${scopeSql('u.path')}`,

  /** Members registered directly in the steps' units, with their open unit period. Binds: unit ids, scope. */
  members: `select p.member_id::text as id, p.unit_id::text as "unitId", p.valid_from::text as "periodFrom"
  from member_unit_period p
  join member m on m.id = p.member_id
 where p.unit_id = any(?::bigint[]) and p.valid_to is null
   and ${scopeSql('m.unit_path')}
 order by p.member_id`,

  /** Active accounts of the steps' units, and the accounts to rehome. Binds: unit ids, account ids, scope. */
  accounts: `select a.id::text as id, a.username, a.unit_id::text as "unitId", a.active
  from account a
  join org_unit u on u.id = a.unit_id
 where ((a.unit_id = any(?::bigint[]) and a.active) or a.id = any(?::bigint[]))
   and ${scopeSql('u.path')}
 order by a.id`,

  /** Transfers awaiting arrival in the steps' units. Binds: unit ids, scope. */
  pendingTransfersTo: `select t.id::text as id, t.to_unit_id::text as "toUnitId"
  from transfer t
 where t.status = 'PENDING' and t.to_unit_id = any(?::bigint[])
   and ${scopeSql('t.to_path')}
 order by t.id`,

  /** The report's figures of units: active members and alive cells in the subtree. Binds: statuses, unit ids, scope. */
  report: `select u.id::text as id, u.code, u.name, u.kind, u.valid_to::text as "validTo",
       hoso_member_count(u.id, true, ?::text[], false)::int as members,
       (select count(*)::int from org_unit c where c.path <@ u.path and c.kind = 'CELL' and c.valid_to is null) as cells
  from org_unit u
 where u.id = any(?::bigint[])
   and ${scopeSql('u.path')}`,

  /** A new unit, unless its code is held by any unit (alive or ended, in scope or not): then no row, and the next code is tried. */
  insertUnit: `insert into org_unit (code, name, kind, parent_id, valid_from)
values (?, ?, ?, ?, ?)
on conflict (code) do nothing
returning id::text as id, code`,

  /** A unit placed under another: its subtree, its members' paths and their facts follow (triggers). */
  setParent: `update org_unit set parent_id = ?, version = version + 1, updated_at = now() where id = ?`,
  rename: `update org_unit set name = ?, version = version + 1, updated_at = now() where id = ?`,
  end: `update org_unit set valid_to = ?, version = version + 1, updated_at = now() where id = ?`,

  /** Members leave their unit on the day: the open unit period closes. Binds: day, member ids, day. */
  closeMemberPeriods: `update member_unit_period set valid_to = ?
 where member_id = any(?::bigint[]) and valid_to is null and valid_from < ?`,
  /** A member moved earlier in this same operation, on the same day: its period of that day is corrected. Binds: unit, member ids, day. */
  correctMemberPeriods: `update member_unit_period set unit_id = ?
 where member_id = any(?::bigint[]) and valid_to is null and valid_from = ?`,
  /**
   * The new unit period from the day, on the reorganisation's decision and marked as its work, so
   * flows count the move as a reorganisation, not a transfer. Binds: unit, day, decision number,
   * date, body, reason, reorganisation id, member ids.
   */
  openMemberPeriods: `insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason, reorganisation_id)
select m.id, ?, ?, ?, ?, ?, ?, ?
  from unnest(?::bigint[]) as m (id)
 where not exists (select 1 from member_unit_period p where p.member_id = m.id and p.valid_to is null)`,
  /** The member's current unit (its path, counters and facts follow by trigger). Binds: unit, member ids. */
  setMemberUnit: `update member set unit_id = ?, version = version + 1, updated_at = now() where id = any(?::bigint[])`,

  /** Transfers awaiting arrival in an ended unit go to its successor. Binds: unit, transfer ids. */
  redirectTransfers: `update transfer set to_unit_id = ?, version = version + 1 where id = any(?::bigint[]) and status = 'PENDING'`,
  /** Transfers sent from an ended unit are sent from where its member now is. Binds: ended unit ids. */
  resendTransfers: `update transfer t set from_unit_id = m.unit_id, version = t.version + 1
  from member m
 where m.id = t.member_id and t.status = 'PENDING' and t.from_unit_id = any(?::bigint[]) and m.unit_id <> t.from_unit_id`,

  /**
   * Posts held in ended units end on the day (a post begun later, on its first day), for the
   * reorganisation's reason: the successor appoints anew. Binds: day, reason, ended unit ids.
   */
  endPosts: `update post set end_on = greatest(start_on, ?::date), reason = ?, version = version + 1
 where unit_id = any(?::bigint[]) and end_on is null`,

  /**
   * Posts still held that were managed by an ended unit pass to the nearest unit above the unit
   * they are held in that is still alive (a cell's post managed by a merged ward: the ward it now
   * belongs to; a ward secretary managed by a dissolved district: the city). Binds: ended unit ids.
   */
  handOverPosts: `update post p set managed_by_unit_id = a.id, version = p.version + 1
  from org_unit h
  cross join lateral (select a.id from org_unit a
                       where a.path @> h.path and a.id <> h.id and a.valid_to is null
                       order by nlevel(a.path) desc limit 1) a
 where h.id = p.unit_id and p.managed_by_unit_id = any(?::bigint[]) and p.end_on is null`,
  /** Planning entries (quy hoạch) of a period not over, managed by an ended unit: likewise, from the member's unit. Binds: ended unit ids, year. */
  handOverPlanning: `update planning_entry e set managed_by_unit_id = a.id, version = e.version + 1
  from member m
  join org_unit h on h.id = m.unit_id
  cross join lateral (select a.id from org_unit a
                       where a.path @> h.path and a.id <> h.id and a.valid_to is null
                       order by nlevel(a.path) desc limit 1) a
 where m.id = e.member_id and e.managed_by_unit_id = any(?::bigint[]) and e.period_end >= ?`,

  /**
   * Rebuilds the reporting facts of up to a thousand members whose units moved (marked by the
   * move trigger, migration 27) and answers how many remain: the service repeats it until none,
   * so each statement stays within the statement timeout and a dry run pays the same cost.
   */
  rebuildMovedFacts: `select hoso_rebuild_stale_facts_now(1000) as remaining`,

  /** Accounts of ended units: no longer able to sign in. Binds: account ids. */
  deactivateAccounts: `update account set active = false, version = version + 1, updated_at = now() where id = any(?::bigint[])`,
  /** An account of an ended unit moved to a unit that stays. Binds: unit, account id. */
  rehomeAccount: `update account set unit_id = ?, version = version + 1, updated_at = now() where id = ?`,

  /** The operation's record. Binds: effective day, decision number, date, body, reason, unit, account. */
  insertReorganisation: `insert into reorganisation (effective_on, decision_number, decision_date, decision_body, reason, unit_id, account_id)
values (?, ?, ?, ?, ?, ?, ?)
returning id::text as id`,
  /** Its steps. Binds: reorganisation id, steps, kinds, units, successors. */
  insertLineage: `insert into unit_lineage (reorganisation_id, step, kind, unit_id, to_unit_id)
select ?, l.step, l.kind, l.unit_id, l.to_unit_id
  from unnest(?::int[], ?::text[], ?::bigint[], ?::bigint[]) as l (step, kind, unit_id, to_unit_id)`,
} as const;

/** The statements of this file as the snapshot shows them (src/units/reorganisation.queries.sql). */
export function reorganisationQueryExamples(): { name: string; text: string }[] {
  return Object.entries(REORGANISATION_SQL).map(([name, text]) => ({ name: `reorganiseUnits: ${name}`, text }));
}
