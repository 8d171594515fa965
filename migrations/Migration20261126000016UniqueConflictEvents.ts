import { Migration } from '@mikro-orm/migrations';

/**
 * National ID and party card numbers are unique city-wide, so a ward's staff entering a number
 * held by a member of another district must be refused, but must not learn that (or where) a
 * member holds it (docs/access.md, "Unique numbers held outside your scope"). The API answers a
 * neutral user error and records the attempt as an access event, UNIQUE_CONFLICT_OUTSIDE_SCOPE,
 * through this function: the API role cannot see the holder (row-level security) nor write
 * events itself. The event is filed under the holder's unit (as a READ_SENSITIVE event is), so
 * the city's and the holder's district's auditors see it; it names the field and the caller's
 * scope, never the number.
 *
 * The function only writes: it answers nothing, so it tells the caller no more than the
 * constraint already did. It writes nothing when the holder is in the caller's scope (there the
 * API answers TAKEN) or when no member holds the number (any more).
 */
export class Migration20261126000016UniqueConflictEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table audit_event drop constraint audit_event_action_check`);
    this.addSql(`alter table audit_event add constraint audit_event_action_check
      check (action in ('INSERT', 'UPDATE', 'DELETE', 'READ_SENSITIVE', 'EXPORT', 'UNIQUE_CONFLICT_OUTSIDE_SCOPE'))`);
    this.addSql(`
      create function hoso_record_unique_conflict(p_field text, p_value text) returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        select clock_timestamp(), txid_current(), nullif(current_setting('app.account_id', true), '')::bigint,
               nullif(current_setting('app.api_key_id', true), '')::bigint, nullif(current_setting('app.request_id', true), ''),
               null, 'UNIQUE_CONFLICT_OUTSIDE_SCOPE', 'member', m.id::text, m.id, m.unit_path,
               jsonb_build_object('field', p_field, 'callerScope', hoso_scope()::text)
          from member m
         where case p_field when 'nationalId' then m.national_id = p_value
                            when 'partyCardNumber' then m.party_card_number = p_value
                            else false end
           and not (m.unit_path <@ hoso_scope())
      $$`);
    this.addSql(`revoke all on function hoso_record_unique_conflict(text, text) from public`);
    this.addSql(`grant execute on function hoso_record_unique_conflict(text, text) to hoso_api`);
  }
}
