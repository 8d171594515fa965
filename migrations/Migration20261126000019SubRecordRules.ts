import { Migration } from '@mikro-orm/migrations';

/**
 * Sub-record rules (issue 12): badges by the rules, ratings, expulsion as one act, dismissal and
 * decisions. Most of these rules are checked by the API before writing (src/members/); the
 * database gets what the API needs from it:
 *
 * - award.ground: why a party badge was awarded before its party age was reached: EARLY_ILLNESS
 *   (xét tặng sớm, serious illness recorded on the member) or POSTHUMOUS_EARLY (truy tặng, up
 *   to 12 months early). Only a party badge has one. Existing rows keep null (nothing rewritten):
 *   an early badge of the past shows as reached-or-unexplained, for the data quality list.
 *
 * - hoso_member_held_post(member, day): whether the member held a post (cán bộ, chức vụ) on that
 *   day, for the rule "dismissal from post (cách chức) needs a post". Posts are seen only at the
 *   level that manages them (RLS on post, by managed_path), so a ward's staff disciplining a
 *   member may not see the post a district manages. This function answers the one fact the rule
 *   needs, a yes or no, and nothing about the post; and it answers only for a member the caller
 *   can see (the member's unit_path inside hoso_scope(), the test the member table's RLS uses):
 *   for any other member it answers null, as if no such member. A post's end day is its last day
 *   in office (a dismissal decided that day still finds it).
 */
export class Migration20261126000019SubRecordRules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table award
      add column ground text check (ground in ('EARLY_ILLNESS', 'POSTHUMOUS_EARLY')),
      add constraint award_ground_badge_only check (ground is null or kind = 'PARTY_BADGE')`);

    this.addSql(`
      create function hoso_member_held_post(p_member_id bigint, p_on date) returns boolean
      language sql stable security definer set search_path = public, pg_temp
      as $$
        select exists (select 1 from post p
                        where p.member_id = m.id and p.start_on <= p_on and (p.end_on is null or p.end_on >= p_on))
          from member m
         where m.id = p_member_id and m.unit_path <@ hoso_scope()
      $$`);
    this.addSql(`revoke all on function hoso_member_held_post(bigint, date) from public`);
    this.addSql(`grant execute on function hoso_member_held_post(bigint, date) to hoso_api`);
  }
}
