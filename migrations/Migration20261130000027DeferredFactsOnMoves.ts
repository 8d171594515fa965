import { Migration } from '@mikro-orm/migrations';

// Copied from migration 26 as it was when this one was written: a migration is frozen.
const MOVED = (column: string) =>
  `case when nlevel(${column}) = nlevel(old.path) then new.path else new.path || subpath(${column}, nlevel(old.path)) end`;

/**
 * A unit move rebuilds its members' reporting facts once per transaction, at commit, instead of
 * once per unit moved.
 *
 * A reorganisation moves hundreds of cells in one transaction (the demo's reform of 1 July 2025
 * moves every cell of the former Đà Nẵng), and migration 26 rebuilt the facts of the members
 * below each cell as it moved: one rebuild per cell, tens of milliseconds each. Now the move marks
 * those members in `member_fact_stale`, and a deferred constraint trigger rebuilds every marked
 * member in one statement when the transaction commits. Still an invariant of the database: no
 * client can move a unit and commit without the facts following, and a dry run (a rolled-back
 * savepoint) discards its marks and its deferred rebuild with it. reorganiseUnits does the work
 * itself before it answers, statement by statement (hoso_rebuild_stale_facts_now), so a
 * reorganisation's rebuild is bounded by the statement timeout and shown by its dry run; the
 * commit's rebuild is the safety net for any other client that moves a unit.
 */
export class Migration20261130000027DeferredFactsOnMoves extends Migration {
  override async up(): Promise<void> {
    // Rows live only inside the transaction that wrote them: the commit's rebuild deletes them.
    this.addSql(`create table member_fact_stale (member_id bigint primary key references member (id))`);
    this.addSql(`revoke all on member_fact_stale from public`);

    // Up to p_limit marked members (in member order), rebuilt and unmarked; answers how many remain.
    // The API role calls it in a loop (reorganiseUnits), so the work is done statement by
    // statement under the statement timeout, and a dry run pays for it too; whatever is left is
    // done at commit by the trigger below. An array of a thousand ids reads each member's rows by
    // index, where one of the whole city would be compared with every row of every table.
    this.addSql(`
      create function hoso_rebuild_stale_facts_now(p_limit integer) returns integer
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_chunk bigint[];
      begin
        select array_agg(member_id) into v_chunk
          from (select member_id from member_fact_stale order by member_id limit greatest(p_limit, 1)) s;
        if v_chunk is not null then
          perform hoso_rebuild_member_facts(v_chunk);
          delete from member_fact_stale where member_id = any(v_chunk);
        end if;
        return (select count(*) from member_fact_stale);
      end $$`);
    this.addSql(`revoke all on function hoso_rebuild_stale_facts_now(integer) from public`);
    this.addSql(`grant execute on function hoso_rebuild_stale_facts_now(integer) to hoso_api`);

    this.addSql(`
      create function hoso_rebuild_stale_facts() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        -- Fires once per marked member; the first firing does the work for all of them, and the
        -- others find their member done (by the key: the table's dead rows are never scanned).
        if exists (select 1 from member_fact_stale where member_id = new.member_id) then
          while hoso_rebuild_stale_facts_now(1000) > 0 loop
          end loop;
        end if;
        return null;
      end $$`);
    this.addSql(`revoke all on function hoso_rebuild_stale_facts() from public`);
    this.addSql(`
      create constraint trigger member_fact_stale_rebuild after insert on member_fact_stale
      deferrable initially deferred for each row execute function hoso_rebuild_stale_facts()`);

    this.addSql(`
      create or replace function org_unit_move_subtree() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_on date := hoso_effective_on();
      begin
        update org_unit set path = ${MOVED('path')} where path <@ old.path and id <> new.id;
        update member set unit_path = ${MOVED('unit_path')} where unit_path <@ old.path;
        -- Pending transfers are work in progress seen by the units at both ends: their copies of
        -- the paths follow too (settled ones keep the places they were settled between).
        update transfer set from_path = ${MOVED('from_path')} where status = 'PENDING' and from_path <@ old.path;
        update transfer set to_path = ${MOVED('to_path')} where status = 'PENDING' and to_path <@ old.path;
        -- Their facts from the move's day on are rebuilt at commit (member_fact_stale_rebuild).
        insert into member_fact_stale (member_id)
        select distinct mp.member_id
          from member_unit_period mp
          join org_unit o on o.id = mp.unit_id
         where o.path <@ new.path and (mp.valid_to is null or mp.valid_to > v_on)
        on conflict do nothing;
        return null;
      end $$`);
  }
}
