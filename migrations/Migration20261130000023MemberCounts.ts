import { Migration } from '@mikro-orm/migrations';

/**
 * Member counts kept per unit, for an exact and cheap `totalCount` of member lists.
 *
 * Counting a district's list as the API role (`count(*) from member where unit_path <@ scope`)
 * checks the RLS policy row by row: 24,000 rows at 100,000 members, 36 ms. member_count holds,
 * per unit, status and "transferred out or not", how many members there are; a count over a
 * scope sums a few hundred of its rows instead.
 *
 * - Kept by statement-level triggers on member, in the writing transaction: a statement's
 *   inserted, deleted or changed rows are grouped by (unit, status, transferred out) and applied
 *   as deltas with one upsert, keys in a fixed order so two writers never wait for each other in
 *   opposite orders. An update counts only the rows whose unit, status or transferred-out state
 *   changed (old and new rows joined by id): an edit of a phone number writes nothing here.
 *   A TRUNCATE of member empties it. Rows that reach 0 stay (at most units × statuses × 2 rows).
 * - Not skipped by a bulk load (`hoso.bulk_load = 'on'`, the demo and benchmark seeds): one
 *   aggregate per statement is cheap, and no load has to remember to rebuild it. A load that
 *   disables these triggers, or changes member with session_replication_role = replica, must
 *   call hoso_rebuild_member_counts() at its end (none does today).
 * - The path a count is filed under is not copied: counts are by unit id and joined to today's
 *   org_unit.path when read, so moving a unit changes nothing here. This equals counting members
 *   by member.unit_path because that column is the path of member.unit_id (member_unit_path_before
 *   on every insert and change of unit_id or unit_path, org_unit_move_subtree on a move).
 * - Like member_fact, a derived table the API role is not granted at all: it reads the counts only
 *   through hoso_member_count(), which sums only units inside the request's scope (hoso_scope(),
 *   as the RLS policies) and answers 0 when no scope is set or the unit asked for is outside it.
 */
export class Migration20261130000023MemberCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table member_count (
        unit_id bigint not null references org_unit (id),
        status text not null,
        transferred_out boolean not null,
        n bigint not null,
        primary key (unit_id, status, transferred_out)
      )`);
    this.addSql(`comment on table member_count is 'Members per unit, status and transferred_out_on is not null, kept by the member_count_* triggers of member. Derived; not granted to the API role (its rows would tell counts outside the caller''s scope): read through hoso_member_count().'`);

    this.addSql(`
      create function hoso_member_count_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        if tg_op = 'TRUNCATE' then
          delete from member_count;
        elsif tg_op = 'INSERT' then
          insert into member_count as c (unit_id, status, transferred_out, n)
          select r.unit_id, r.status, r.transferred_out_on is not null, count(*)
            from new_rows r
           group by 1, 2, 3
           order by 1, 2, 3
          on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        elsif tg_op = 'DELETE' then
          insert into member_count as c (unit_id, status, transferred_out, n)
          select r.unit_id, r.status, r.transferred_out_on is not null, -count(*)
            from old_rows r
           group by 1, 2, 3
           order by 1, 2, 3
          on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        else
          -- Only the rows that moved between counters: -1 where they were, +1 where they are.
          insert into member_count as c (unit_id, status, transferred_out, n)
          select d.unit_id, d.status, d.transferred_out, sum(d.delta)
            from old_rows o
            join new_rows r on r.id = o.id
           cross join lateral (values (o.unit_id, o.status, o.transferred_out_on is not null, -1),
                                      (r.unit_id, r.status, r.transferred_out_on is not null, 1)) d (unit_id, status, transferred_out, delta)
           where o.unit_id <> r.unit_id or o.status <> r.status or (o.transferred_out_on is null) <> (r.transferred_out_on is null)
           group by 1, 2, 3
          having sum(d.delta) <> 0
           order by 1, 2, 3
          on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        end if;
        return null;
      end $$`);
    this.addSql(`
      create trigger member_count_insert after insert on member
      referencing new table as new_rows for each statement execute function hoso_member_count_changed()`);
    this.addSql(`
      create trigger member_count_update after update on member
      referencing old table as old_rows new table as new_rows for each statement execute function hoso_member_count_changed()`);
    this.addSql(`
      create trigger member_count_delete after delete on member
      referencing old table as old_rows for each statement execute function hoso_member_count_changed()`);
    this.addSql(`
      create trigger member_count_truncate after truncate on member
      for each statement execute function hoso_member_count_changed()`);

    // Recounts everything from member: the backfill below, and the repair after a load that
    // bypassed the triggers. Writers of member wait meanwhile (readers do not).
    this.addSql(`
      create function hoso_rebuild_member_counts() returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        lock table member in share mode;
        delete from member_count;
        insert into member_count (unit_id, status, transferred_out, n)
        select m.unit_id, m.status, m.transferred_out_on is not null, count(*)
          from member m
         group by 1, 2, 3
         order by 1, 2, 3;
      $$`);
    this.addSql(`revoke all on function hoso_rebuild_member_counts() from public`);
    this.addSql(`select hoso_rebuild_member_counts()`);

    // The members of the caller's scope: all of it (p_unit_id null), the subtree of a unit in
    // it (p_subtree) or the members registered in that unit itself; of the given statuses (null:
    // any); transferred-out members only with p_include_transferred_out. No scope, or a unit
    // outside it (an ancestor of the scope too): 0.
    this.addSql(`
      create function hoso_member_count(p_unit_id bigint, p_subtree boolean, p_statuses text[], p_include_transferred_out boolean)
      returns bigint
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select coalesce(sum(c.n), 0)::bigint
          from org_unit u
          join member_count c on c.unit_id = u.id
         where u.path <@ hoso_scope()
           and (p_unit_id is null
                or case when p_subtree
                        then u.path <@ (select p.path from org_unit p where p.id = p_unit_id and p.path <@ hoso_scope())
                        else u.id = p_unit_id end)
           and (p_statuses is null or c.status = any(p_statuses))
           and (p_include_transferred_out or not c.transferred_out)
      $$`);
    this.addSql(`revoke all on function hoso_member_count(bigint, boolean, text[], boolean) from public`);
    this.addSql(`grant execute on function hoso_member_count(bigint, boolean, text[], boolean) to hoso_api`);
  }
}
