import { Migration } from '@mikro-orm/migrations';

/** An updated member (o: old row, r: new row) whose words or what they carry changed. */
const CHANGED = `(o.search_name is distinct from r.search_name or o.sort_name is distinct from r.sort_name
                or o.unit_path is distinct from r.unit_path or (o.transferred_out_on is null) <> (r.transferred_out_on is null))`;

/**
 * Name search that reads an index range instead of every name (issue 16, benchmark S3).
 *
 * A search text q finds a member when the folded name (member.search_name) starts with q or has
 * q right after one of its spaces: `search_name like q || '%' or search_name like '% ' || q || '%'`.
 * The trigram index could not narrow that: "nguyen thi huong" shares its trigrams with almost every
 * name, so the index gave a third of the table to recheck (434 ms at 1,000,000 members). The
 * same question is a prefix of one of the name's word starts: for "nguyen thi thu huong" the
 * whole name, "thi thu huong", "thu huong" and "huong". member_name_word holds one row per word
 * start, so the members found are one B-tree range, `suffix >= q and suffix < q || chr(1114111)`,
 * written as a range so it serves bound parameters and generic plans (LIKE's prefix optimisation
 * needs a constant); the column is collated "C", so the range is a byte range whatever the
 * database's collation.
 *
 * - Each row carries what a search needs besides the id: the member's sort_name (the list's
 *   order), unit_path (the scope) and whether the member is transferred out (off the rolls the
 *   lists show by default), as INCLUDE columns of its index. A search is then an index-only scan
 *   of its matches and never visits member rows: visiting them cost about 10 µs a match on the
 *   benchmark machine, for 1,351 matches of "nguyen thi huong" at 1,000,000 members.
 * - Kept by statement-level triggers on member in the writing transaction, never skipped (a bulk
 *   load under `hoso.bulk_load` too, as member_count): an insert writes the new members' words, a
 *   delete removes the old ones, an update writes again the words of the members whose name,
 *   unit path or transferred-out state changed (a phone correction writes nothing; a unit move
 *   rewrites its members' words, as it rewrites their paths). A TRUNCATE of member empties it.
 *   Members are matched by id between the old and new rows, as member_count does: ids never change.
 * - No foreign key to member: it would check each of the three or so rows a member brings against
 *   member (in a bulk load too) and need an index on member_id for its cascade; the delete
 *   trigger finds a member's rows by its words, the index's key. The index is unique but not a primary key, so a bulk loader may drop and build it
 *   again around a load (bench/bulk-load.ts keeps primary keys).
 * - Not granted to the API role: it reads the table only through hoso_member_name_matches(),
 *   which answers only members under the request's scope (hoso_scope(), as the row-level policy of
 *   member) and nothing without a scope. A load that bypasses the triggers (disabled, or
 *   session_replication_role = replica) must call hoso_rebuild_member_name_words() at its end.
 */
export class Migration20261130000032MemberNameWords extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table member_name_word (
        member_id bigint not null,
        transferred_out boolean not null,
        suffix text collate "C" not null,
        sort_name text not null,
        unit_path ltree not null
      )`);
    this.addSql(`comment on table member_name_word is 'One row per word start of each member''s search_name (the whole name and what follows each space), with the member''s sort_name, unit_path and transferred_out_on is not null; kept by the member_name_word_* triggers of member. Derived; not granted to the API role (its rows would tell names outside the caller''s scope): read through hoso_member_name_matches().'`);
    this.addSql(`revoke all on member_name_word from public`);

    // The name itself and what follows each of its spaces: exactly the strings that
    // `like q || '%'` and `like '% ' || q || '%'` test for the prefix q. Split on the space
    // character only, as LIKE's pattern has it; repeated, leading or trailing spaces give empty
    // words, which put the string back together exactly. Not STRICT, so PostgreSQL inlines it
    // (called once per name, it cost tens of microseconds a name); the words come from unnest,
    // which the planner counts as a few rows per name (generate_series counted 1,000, and the
    // triggers' plans then hashed the whole of member_name_word to delete the words of 50 moved
    // members).
    this.addSql(`
      create function hoso_name_word_starts(p_name text) returns setof text
      language sql immutable parallel safe
      as $$
        select p_name
        union all
        select array_to_string(w[u.k:], ' ')
          from string_to_array(p_name, ' ') w, unnest(w) with ordinality u (word, k)
         where u.k > 1
      $$`);

    this.addSql(`
      create function hoso_member_name_words_changed() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        if tg_op = 'TRUNCATE' then
          truncate member_name_word;
        elsif tg_op = 'INSERT' then
          insert into member_name_word (member_id, transferred_out, suffix, sort_name, unit_path)
          select r.id, r.transferred_out_on is not null, s.suffix, r.sort_name, r.unit_path
            from new_rows r cross join lateral hoso_name_word_starts(r.search_name) s (suffix);
        elsif tg_op = 'DELETE' then
          delete from member_name_word w
           using old_rows o cross join lateral hoso_name_word_starts(o.search_name) s (suffix)
           where w.suffix = s.suffix and w.member_id = o.id;
        end if;
        return null;
      end $$`);
    // An update, member by member, only for the members whose words or what the words carry
    // changed (the trigger's WHEN: a phone or a status edit never calls it): the old words go,
    // the new ones come. Per row, so a move of ten thousand members costs ten thousand times
    // one member; a statement-level version compared every old row with every new one, and kept
    // the plan of its first (one-row) call for the later large ones.
    this.addSql(`
      create function hoso_member_name_words_updated() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        delete from member_name_word w
         using hoso_name_word_starts(old.search_name) s (suffix)
         where w.suffix = s.suffix and w.member_id = old.id;
        insert into member_name_word (member_id, transferred_out, suffix, sort_name, unit_path)
        select new.id, new.transferred_out_on is not null, s.suffix, new.sort_name, new.unit_path
          from hoso_name_word_starts(new.search_name) s (suffix);
        return null;
      end $$`);
    // Created before the backfill: from here on this transaction holds a lock on member that
    // keeps writers out until it commits, so no member written meanwhile is missed.
    this.addSql(`
      create trigger member_name_word_insert after insert on member
      referencing new table as new_rows for each statement execute function hoso_member_name_words_changed()`);
    this.addSql(`
      create trigger member_name_word_update after update on member
      for each row when (${CHANGED.replace(/\bo\./g, 'old.').replace(/\br\./g, 'new.')}) execute function hoso_member_name_words_updated()`);
    this.addSql(`
      create trigger member_name_word_delete after delete on member
      referencing old table as old_rows for each statement execute function hoso_member_name_words_changed()`);
    this.addSql(`
      create trigger member_name_word_truncate after truncate on member
      for each statement execute function hoso_member_name_words_changed()`);

    // The backfill, then the index built once over it (faster than keeping it row by row).
    this.addSql(`
      insert into member_name_word (member_id, transferred_out, suffix, sort_name, unit_path)
      select m.id, m.transferred_out_on is not null, s.suffix, m.sort_name, m.unit_path
        from member m cross join lateral hoso_name_word_starts(m.search_name) s (suffix)`);
    this.addSql(`set local maintenance_work_mem = '256MB'`);
    this.addSql(`
      create unique index member_name_word_key on member_name_word (suffix, member_id)
      include (sort_name, unit_path, transferred_out)`);
    this.addSql(`analyze member_name_word`);

    // Writes every member's words again from member: the repair after a load that bypassed the
    // triggers. Writers of member wait meanwhile (readers do not, and see the old words until it commits).
    this.addSql(`
      create function hoso_rebuild_member_name_words() returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        lock table member in share mode;
        delete from member_name_word;
        insert into member_name_word (member_id, transferred_out, suffix, sort_name, unit_path)
        select m.id, m.transferred_out_on is not null, s.suffix, m.sort_name, m.unit_path
          from member m cross join lateral hoso_name_word_starts(m.search_name) s (suffix)
         order by s.suffix, m.id;
      $$`);
    this.addSql(`revoke all on function hoso_rebuild_member_name_words() from public`);
    this.addSql(`revoke all on function hoso_member_name_words_updated() from public`);

    // The members under the request's scope with a word start beginning with p_prefix (a folded
    // text: hoso_fold), with their sort_name; transferred-out members only with
    // p_include_transferred_out. No scope: none. One row per matching word start, so a member
    // whose name has the prefix twice ("an" in "Lê An Anh") comes twice: callers take distinct
    // members (the API's page does, once, together with the card-number matches), which costs
    // less than a second pass here. An index-only scan of the matches (the scope is read once,
    // not per row). The range's end, the prefix followed by U+10FFFF, leaves out only a name
    // with that noncharacter right after the prefix.
    this.addSql(`
      create function hoso_member_name_matches(p_prefix text, p_include_transferred_out boolean)
      returns table (id bigint, sort_name text)
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select w.member_id, w.sort_name
          from member_name_word w
         where w.suffix >= p_prefix collate "C"
           and w.suffix < (p_prefix || chr(1114111)) collate "C"
           and w.unit_path <@ (select hoso_scope())
           and (p_include_transferred_out or not w.transferred_out)
      $$`);
    this.addSql(`revoke all on function hoso_member_name_matches(text, boolean) from public`);
    this.addSql(`grant execute on function hoso_member_name_matches(text, boolean) to hoso_api`);
  }
}
