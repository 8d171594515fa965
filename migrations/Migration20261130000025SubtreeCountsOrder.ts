import { Migration } from '@mikro-orm/migrations';

/**
 * Two races of migration 24's subtree counters, found in review.
 *
 * 1. Lock order. Migration 24 applied a statement's deltas to member_count, then to the subtree
 *    counters in key order; two requests writing in two units could each hold a unit's row and
 *    wait on the city's, which the other held. The subtree counters now come first, from the
 *    root down (by nlevel, then id), then the units' own: every statement takes the root's rows
 *    first, so statements never wait for each other in opposite orders. (A transaction of several
 *    counted statements can still meet another in opposite orders over the root's rows of two
 *    statuses; PostgreSQL then ends one with a deadlock error, and its request can be sent again.)
 * 2. A move racing a write. A member admitted under a unit while the unit moved could be counted
 *    above the old place by a writer that read the old paths, after the move had read the
 *    figures it shifts; the old ancestors kept it and the new ones missed it. The move now locks
 *    member against writes until it commits, and waits for writes under way, before it reads
 *    the figures. Moves are rare; writes of members wait for the move's transaction.
 */
export class Migration20261130000025SubtreeCountsOrder extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function hoso_apply_member_count_deltas(p_deltas hoso_member_count_delta[]) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into member_subtree_count as c (unit_id, status, transferred_out, n)
        select a.id, d.status, d.transferred_out, sum(d.n)
          from unnest(p_deltas) d
          join org_unit u on u.id = d.unit_id
          join org_unit a on a.path @> u.path
         group by a.id, nlevel(a.path), d.status, d.transferred_out
        having sum(d.n) <> 0
         order by nlevel(a.path), a.id, d.status, d.transferred_out
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        insert into member_count as c (unit_id, status, transferred_out, n)
        select d.unit_id, d.status, d.transferred_out, d.n
          from unnest(p_deltas) d
         order by 1, 2, 3
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
      $$`);
    this.addSql(`
      create or replace function member_subtree_count_move() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        lock table member in share row exclusive mode;
        insert into member_subtree_count as c (unit_id, status, transferred_out, n)
        select a.id, s.status, s.transferred_out, sum(s.n * m.sign)
          from member_subtree_count s
         cross join (values (old.path, -1), (new.path, 1)) m (path, sign)
          join org_unit a on a.path @> m.path and a.id <> new.id
         where s.unit_id = new.id
         group by a.id, nlevel(a.path), s.status, s.transferred_out
        having sum(s.n * m.sign) <> 0
         order by nlevel(a.path), a.id, s.status, s.transferred_out
        on conflict (unit_id, status, transferred_out) do update set n = c.n + excluded.n;
        return null;
      end $$`);
  }
}
