import { Migration } from '@mikro-orm/migrations';

/**
 * Transfers (chuyển sinh hoạt đảng): the sending side issues, the receiving side confirms, and
 * until then the member stays on the sender's rolls. Both sides see the transfer; the receiver
 * sees the member only through the transfer's snapshot until it arrives.
 */
export class Migration20261126000005Transfers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table transfer (
        id bigint generated always as identity primary key,
        member_id bigint not null references member (id),
        kind text not null check (kind in ('PERMANENT', 'TEMPORARY', 'INTERNAL')),
        status text not null default 'PENDING' check (status in ('PENDING', 'CONFIRMED', 'CANCELLED')),
        from_unit_id bigint not null references org_unit (id),
        to_unit_id bigint not null references org_unit (id),
        -- Both ends' paths, kept by a trigger, so each side's scope finds the transfer.
        from_path ltree not null,
        to_path ltree not null,
        -- Names of both ends, so each side can read where the member comes from or goes to.
        from_unit_name text not null,
        to_unit_name text not null,
        issued_on date not null,
        -- The member must report to the receiving unit within 30 days.
        report_by date not null,
        decision_number text,
        decision_date date,
        decision_body text,
        reason text,
        -- What the receiving side may know of the member before arrival.
        member_name text not null,
        member_party_card_number text,
        member_date_of_birth date not null,
        confirmed_on date,
        cancelled_on date,
        cancel_reason text,
        version integer not null default 1,
        created_at timestamptz not null default now(),
        check (from_unit_id <> to_unit_id),
        check (report_by >= issued_on),
        check (confirmed_on is null or confirmed_on >= issued_on)
      )`);
    this.addSql(`create unique index transfer_one_pending on transfer (member_id) where status = 'PENDING'`);
    this.addSql(`create index transfer_from_path on transfer using gist (from_path)`);
    this.addSql(`create index transfer_to_path on transfer using gist (to_path)`);
    this.addSql(`
      create function transfer_set_paths() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Read as the owner: the receiving unit is usually outside the sender's scope.
        select path, name into strict new.from_path, new.from_unit_name from org_unit where id = new.from_unit_id;
        select path, name into strict new.to_path, new.to_unit_name from org_unit where id = new.to_unit_id;
        return new;
      end $$`);
    this.addSql(`
      create trigger transfer_paths_before before insert or update of from_unit_id, to_unit_id on transfer
      for each row execute function transfer_set_paths()`);
    this.addSql(`alter table transfer enable row level security`);
    this.addSql(`
      create policy transfer_scope on transfer to hoso_api
        using (from_path <@ hoso_scope() or to_path <@ hoso_scope())
        with check (from_path <@ hoso_scope() or to_path <@ hoso_scope())`);
    this.addSql(`grant select, insert, update on transfer to hoso_api`);

    // The destination of a transfer named by code, whatever the caller's scope: unit codes and
    // names are the public structure of the Party, not records. Cells only.
    this.addSql(`
      create function hoso_transfer_destination(p_code text)
      returns table (id bigint, name text, path text)
      language sql stable security definer set search_path = public, pg_temp
      as $$ select u.id, u.name, u.path::text from org_unit u where u.code = upper(p_code) and u.kind = 'CELL' $$`);

    // Arrival: the receiving side moves a member it cannot see yet. Checked here, as the owner:
    // the transfer must be pending and its destination inside the caller's scope.
    this.addSql(`
      create function hoso_confirm_transfer(p_transfer_id bigint, p_confirmed_on date, p_to_unit_id bigint)
      returns bigint
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare t transfer;
      declare v_to bigint;
      begin
        select * into t from transfer where id = p_transfer_id for update;
        if not found or t.status <> 'PENDING' or not (t.to_path <@ hoso_scope()) then
          return null;
        end if;
        v_to := coalesce(p_to_unit_id, t.to_unit_id);
        if not exists (select 1 from org_unit where id = v_to and kind = 'CELL' and path <@ hoso_scope()) then
          return null;
        end if;
        if p_confirmed_on <= (select valid_from from member_unit_period where member_id = t.member_id and valid_to is null) then
          raise exception 'arrival before the member joined the sending unit' using errcode = 'check_violation';
        end if;
        -- A temporary transfer leaves the member registered at home.
        if t.kind in ('PERMANENT', 'INTERNAL') then
          update member_unit_period set valid_to = p_confirmed_on where member_id = t.member_id and valid_to is null;
          insert into member_unit_period (member_id, unit_id, valid_from, decision_number, decision_date, decision_body, reason)
            values (t.member_id, v_to, p_confirmed_on, t.decision_number, t.decision_date, t.decision_body, t.reason);
          update member set unit_id = v_to, version = version + 1, updated_at = now() where id = t.member_id;
        end if;
        update transfer set status = 'CONFIRMED', confirmed_on = p_confirmed_on, to_unit_id = v_to, version = version + 1
         where id = p_transfer_id;
        return t.member_id;
      end $$`);
    for (const fn of ['hoso_transfer_destination(text)', 'hoso_confirm_transfer(bigint, date, bigint)']) {
      this.addSql(`revoke all on function ${fn} from public`);
      this.addSql(`grant execute on function ${fn} to hoso_api`);
    }
  }
}
