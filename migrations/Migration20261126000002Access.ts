import { Migration } from '@mikro-orm/migrations';

/**
 * Row-level security: the backstop under the application's own scope predicate. The API role
 * (hoso_api) sees and changes only rows under `app.scope`, which each request sets with
 * set_config(..., true) through the SECURITY DEFINER functions below. Without a scope, nothing.
 * Also: API keys for reporting tools.
 */
export class Migration20261126000002Access extends Migration {
  override async up(): Promise<void> {
    // The request's scope; null (so every policy is false) when no account has entered.
    this.addSql(`
      create function hoso_scope() returns ltree
      language sql stable parallel safe
      as $$ select nullif(current_setting('app.scope', true), '')::ltree $$`);

    this.addSql(`
      create table api_key (
        id bigint generated always as identity primary key,
        name text not null check (btrim(name) <> ''),
        -- sha256 of the secret part; the secret itself is shown once and never stored.
        secret_hash text not null,
        role text not null check (role in ('CITY_ADMIN', 'ORG_STAFF', 'COMMITTEE_VIEWER', 'REPORTER', 'AUDITOR')),
        unit_id bigint not null references org_unit (id),
        created_by bigint references account (id),
        created_at timestamptz not null default now(),
        revoked_at timestamptz,
        last_used_at timestamptz,
        version integer not null default 1
      )`);
    this.addSql(`grant select, insert, update on api_key to hoso_api`);

    for (const [table, predicate] of [
      ['org_unit', 'path <@ hoso_scope()'],
      ['member', 'unit_path <@ hoso_scope()'],
      // An account or key is visible where its unit is (org_unit's own policy applies inside).
      ['account', 'exists (select 1 from org_unit u where u.id = unit_id)'],
      ['api_key', 'exists (select 1 from org_unit u where u.id = unit_id)'],
    ] as const) {
      this.addSql(`alter table ${table} enable row level security`);
      this.addSql(`create policy ${table}_scope on ${table} to hoso_api using (${predicate}) with check (${predicate})`);
    }

    // Entering a request as an account: looks it up (it cannot be read before the scope is
    // set) and sets account, scope and request id for the rest of the transaction.
    this.addSql(`
      create function hoso_enter_account(p_account_id bigint, p_request_id text)
      returns table (id bigint, username text, role text, unit_id bigint, scope text)
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_scope text;
      begin
        select u.path::text into v_scope
          from account a join org_unit u on u.id = a.unit_id
         where a.id = p_account_id and a.active;
        if v_scope is null then return; end if;
        perform set_config('app.account_id', p_account_id::text, true),
                set_config('app.api_key_id', '', true),
                set_config('app.scope', v_scope, true),
                set_config('app.request_id', p_request_id, true);
        return query
          select a.id, a.username, a.role, a.unit_id, v_scope from account a where a.id = p_account_id;
      end $$`);

    // Entering as an API key: the secret's hash must match and the key must not be revoked.
    this.addSql(`
      create function hoso_enter_api_key(p_key_id bigint, p_secret_hash text, p_request_id text)
      returns table (id bigint, name text, role text, unit_id bigint, scope text)
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare v_scope text;
      begin
        select u.path::text into v_scope
          from api_key k join org_unit u on u.id = k.unit_id
         where k.id = p_key_id and k.revoked_at is null and k.secret_hash = p_secret_hash;
        if v_scope is null then return; end if;
        perform set_config('app.account_id', '', true),
                set_config('app.api_key_id', p_key_id::text, true),
                set_config('app.scope', v_scope, true),
                set_config('app.request_id', p_request_id, true);
        -- At most one write a minute per key, so heavy reporting does not turn reads into writes.
        update api_key set last_used_at = now()
         where api_key.id = p_key_id and (last_used_at is null or last_used_at < now() - interval '1 minute');
        return query
          select k.id, k.name, k.role, k.unit_id, v_scope from api_key k where k.id = p_key_id;
      end $$`);

    // Login needs the hash of an account that is not in any scope yet; only that is returned.
    this.addSql(`
      create function hoso_login_candidate(p_username text)
      returns table (id bigint, password_hash text)
      language sql stable security definer set search_path = public, pg_temp
      as $$ select a.id, a.password_hash from account a where lower(a.username) = lower(p_username) and a.active $$`);

    for (const fn of [
      'hoso_enter_account(bigint, text)',
      'hoso_enter_api_key(bigint, text, text)',
      'hoso_login_candidate(text)',
    ]) {
      this.addSql(`revoke all on function ${fn} from public`);
      this.addSql(`grant execute on function ${fn} to hoso_api`);
    }
  }
}
