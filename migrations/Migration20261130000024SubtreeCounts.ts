import { Migration } from '@mikro-orm/migrations';

/**
 * Member counts per subtree, so the exact `totalCount` of a district's list reads a handful of
 * rows whatever the district's size.
 *
 * Migration 23's member_count holds the members registered in each unit; a district's total
 * summed it over every unit of the district (5,400 units and a scan of its 82,000 rows at
 * 1,000,000 members: 76 ms, the most of the district list's time). member_subtree_count holds
 * the same figures per unit *and everything under it*: a member counts in its unit and in each
 * unit above it, so the total of any subtree is the few rows of its top unit (one per status and
 * transferred-out state).
 *
 * - Kept in the writing transaction by the same statement-level triggers on member: each
 *   statement's changes are grouped into deltas by (unit, status, transferred out) as before,
 *   applied to member_count and, through the unit's ancestors (org_unit.path), to
 *   member_subtree_count, each in key order (two writers never wait for each other in opposite
 *   orders). An edit that changes no unit, status or transferred-out state writes nothing.
 * - A counter of a unit high in the tree (the city) is written by every admission, status change
 *   or transfer in it: such writes queue on that row until their transaction ends. They are
 *   staff actions of a few a second at most; imports write them once per statement.
 * - Moving a unit (org_unit's path changing, at the top of the moved subtree) moves its subtree's
 *   figures: they leave the counters of the units above its old place and join those above its
 *   new one (member_subtree_count_move); the counters inside the subtree do not change.
 * - hoso_rebuild_member_counts() rebuilds both tables; hoso_member_count() answers from the
 *   top unit's row for a subtree (the caller's scope, or a unit inside it) and from member_count
 *   for the members registered in one unit. Same contract as before: 0 without a scope or for a
 *   unit outside it; the API role reads neither table.
 */
export class Migration20261130000024SubtreeCounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table member_subtree_count (
        unit_id bigint not null references org_unit (id),
        status text not null,
        transferred_out boolean not null,
        n bigint not null,
        primary key (unit_id, status, transferred_out)
      )`);
    this.addSql(`comment on table member_subtree_count is 'Members of each unit and every unit under it, per status and transferred_out_on is not null; kept with member_count by the member_count_* triggers of member and by member_subtree_count_move. Derived; not granted to the API role: read through hoso_member_count().'`);

    this.addSql(`create type hoso_member_count_delta as (unit_id bigint, status text, transferred_out boolean, n bigint)`);

    // Applies one statement's deltas (by the members' own unit) to both tables.
    this.addSql(`
      create function hoso_apply_member_count_deltas(p_deltas hoso_member_count_delta[]) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into member_count as c (unit_id, status, transferred_out, n)
        select d.unit_id, d.status, d.transferred_out, d.n
          from unnest(p_deltas) d
         order by 1, 2, 3
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        insert into member_subtree_count as c (unit_id, status, transferred_out, n)
        select a.id, d.status, d.transferred_out, sum(d.n)
          from unnest(p_deltas) d
          join org_unit u on u.id = d.unit_id
          join org_unit a on a.path @> u.path
         group by 1, 2, 3
        having sum(d.n) <> 0
         order by 1, 2, 3
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
      $$`);
    this.addSql(`revoke all on function hoso_apply_member_count_deltas(hoso_member_count_delta[]) from public`);

    this.addSql(`
      create or replace function hoso_member_count_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_deltas hoso_member_count_delta[];
      begin
        if tg_op = 'TRUNCATE' then
          delete from member_count;
          delete from member_subtree_count;
          return null;
        elsif tg_op = 'INSERT' then
          select array_agg(row(r.unit_id, r.status, r.transferred_out, r.n)::hoso_member_count_delta) into v_deltas
            from (select unit_id, status, transferred_out_on is not null as transferred_out, count(*) as n
                    from new_rows group by 1, 2, 3) r;
        elsif tg_op = 'DELETE' then
          select array_agg(row(r.unit_id, r.status, r.transferred_out, -r.n)::hoso_member_count_delta) into v_deltas
            from (select unit_id, status, transferred_out_on is not null as transferred_out, count(*) as n
                    from old_rows group by 1, 2, 3) r;
        else
          -- Only the rows that moved between counters: -1 where they were, +1 where they are.
          select array_agg(row(r.unit_id, r.status, r.transferred_out, r.n)::hoso_member_count_delta) into v_deltas
            from (select d.unit_id, d.status, d.transferred_out, sum(d.delta) as n
                    from old_rows o
                    join new_rows r on r.id = o.id
                   cross join lateral (values (o.unit_id, o.status, o.transferred_out_on is not null, -1),
                                              (r.unit_id, r.status, r.transferred_out_on is not null, 1)) d (unit_id, status, transferred_out, delta)
                   where o.unit_id <> r.unit_id or o.status <> r.status or (o.transferred_out_on is null) <> (r.transferred_out_on is null)
                   group by 1, 2, 3
                  having sum(d.delta) <> 0) r;
        end if;
        if v_deltas is not null then perform hoso_apply_member_count_deltas(v_deltas); end if;
        return null;
      end $$`);

    // A unit moved (its path changed at the top of the moved subtree; the subtree's own path
    // updates run one trigger level down and do not fire this): its subtree's figures leave the
    // units above its old place and join those above its new one.
    this.addSql(`
      create function member_subtree_count_move() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        insert into member_subtree_count as c (unit_id, status, transferred_out, n)
        select a.id, s.status, s.transferred_out, sum(s.n * m.sign)
          from member_subtree_count s
         cross join (values (old.path, -1), (new.path, 1)) m (path, sign)
          join org_unit a on a.path @> m.path and a.id <> new.id
         where s.unit_id = new.id
         group by 1, 2, 3
        having sum(s.n * m.sign) <> 0
         order by 1, 2, 3
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        return null;
      end $$`);
    this.addSql(`
      create trigger member_subtree_count_move after update on org_unit
      for each row when (old.path is distinct from new.path and pg_trigger_depth() = 0)
      execute function member_subtree_count_move()`);

    this.addSql(`
      create or replace function hoso_rebuild_member_counts() returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        lock table member in share mode;
        delete from member_count;
        delete from member_subtree_count;
        insert into member_count (unit_id, status, transferred_out, n)
        select m.unit_id, m.status, m.transferred_out_on is not null, count(*)
          from member m
         group by 1, 2, 3
         order by 1, 2, 3;
        insert into member_subtree_count (unit_id, status, transferred_out, n)
        select a.id, c.status, c.transferred_out, sum(c.n)
          from member_count c
          join org_unit u on u.id = c.unit_id
          join org_unit a on a.path @> u.path
         group by 1, 2, 3
         order by 1, 2, 3;
      $$`);
    this.addSql(`select hoso_rebuild_member_counts()`);

    // The members of the caller's scope: all of it (p_unit_id null), the subtree of a unit in
    // it (p_subtree) or the members registered in that unit itself; of the given statuses (null:
    // any); transferred-out members only with p_include_transferred_out. No scope, or a unit
    // outside it (an ancestor of the scope too): 0.
    this.addSql(`
      create or replace function hoso_member_count(p_unit_id bigint, p_subtree boolean, p_statuses text[], p_include_transferred_out boolean)
      returns bigint
      language plpgsql stable security definer set search_path = public, pg_temp
      as $$
      declare v_unit bigint;
      begin
        if p_unit_id is null then
          select u.id into v_unit from org_unit u where u.path = hoso_scope();
        else
          select u.id into v_unit from org_unit u where u.id = p_unit_id and u.path <@ hoso_scope();
        end if;
        if v_unit is null then return 0; end if;
        if p_unit_id is null or p_subtree then
          return (select coalesce(sum(c.n), 0) from member_subtree_count c
                   where c.unit_id = v_unit
                     and (p_statuses is null or c.status = any(p_statuses))
                     and (p_include_transferred_out or not c.transferred_out));
        end if;
        return (select coalesce(sum(c.n), 0) from member_count c
                 where c.unit_id = v_unit
                   and (p_statuses is null or c.status = any(p_statuses))
                   and (p_include_transferred_out or not c.transferred_out));
      end $$`);
  }
}
