import { Migration } from '@mikro-orm/migrations';

/**
 * The start of an access event: who (from the request's settings), when, in which transaction;
 * the action and what follows come from the caller.
 */
const ACCESS_EVENT_INSERT = `insert into audit_event (at, txid, account_id, api_key_id, request_id, reason, action, entity_type, entity_id,
                                 member_id, scope_path, changes)
        select clock_timestamp(), txid_current(), nullif(current_setting('app.account_id', true), '')::bigint,
               nullif(current_setting('app.api_key_id', true), '')::bigint, nullif(current_setting('app.request_id', true), ''),
               null,`;

/**
 * Reads of sensitive data are recorded too (docs/access.md, layer 4): one READ_SENSITIVE event per
 * member whose sensitive fields a request read, with the fields. Written only through this
 * function, which files each event under the member's own unit.
 */
export class Migration20261126000008AccessEvents extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table audit_event drop constraint audit_event_action_check`);
    this.addSql(`alter table audit_event add constraint audit_event_action_check check (action in ('INSERT', 'UPDATE', 'DELETE', 'READ_SENSITIVE', 'EXPORT'))`);
    this.addSql(`
      create function hoso_record_reads(p_member_ids bigint[], p_fields text[])
      returns void
      language sql security definer set search_path = public, pg_temp
      as $$
        ${ACCESS_EVENT_INSERT} 'READ_SENSITIVE', 'member', m.id::text, m.id, m.unit_path, jsonb_build_object('fields', to_jsonb(p_fields))
          from member m
         -- Only members the caller could read: the scope set for this request.
         where m.id = any(p_member_ids) and m.unit_path <@ hoso_scope()
      $$`);
    this.addSql(`revoke all on function hoso_record_reads(bigint[], text[]) from public`);
    this.addSql(`grant execute on function hoso_record_reads(bigint[], text[]) to hoso_api`);
  }
}
