import { Migration } from '@mikro-orm/migrations';

const BULK_LOAD_SKIPS = `current_user <> 'hoso_owner' or current_setting('hoso.bulk_load', true) is distinct from 'on'`;

/**
 * Nothing new starts in a unit that has ended (src/units/unit-life.ts is the rule the services
 * apply, with a message on the field; this is the same rule for every client).
 *
 * An ended unit keeps its row and its code (its records stay readable, an old code still finds
 * it), so a client could otherwise register a member in a ward dissolved in 2025, send a transfer
 * to one of its cells, or appoint a secretary to it. Refused here with HS404, the error of a unit
 * outside its life (migration 26), which the API answers as BAD_USER_INPUT:
 * - a member put into a unit (insert, or a change of unit) that has ended by the effective day
 *   (hoso_effective_on(): today, or the day of the reorganisation being applied);
 * - a transfer sent to a unit that has ended;
 * - a post starting on or after its unit's end.
 * The checks read the unit as the owner: the caller may not see it (a transfer's destination in
 * another district), and they tell nothing but that it has ended.
 * The past is left alone: facts, unit periods and posts of an ended unit's time keep their rows.
 *
 * hoso_transfer_destination also answers the cell's end, so a sender is told the cell has ended
 * rather than that no cell has the code.
 */
export class Migration20261130000034CurrentUnits extends Migration {
  override async up(): Promise<void> {
    // The unit column and the day of the check are the trigger's arguments: 'today' is
    // hoso_effective_on(); a column name reads that column of the new row.
    this.addSql(`
      create function hoso_refuse_ended_unit() returns trigger
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        v_row jsonb := to_jsonb(new);
        v_on date := case tg_argv[1] when 'today' then hoso_effective_on() else (v_row ->> tg_argv[1])::date end;
        v_to date;
      begin
        select valid_to into v_to from org_unit where id = (v_row ->> tg_argv[0])::bigint;
        if v_to is not null and v_on >= v_to then
          raise exception 'unit % ended on %', v_row ->> tg_argv[0], v_to using errcode = 'HS404';
        end if;
        return new;
      end $$`);
    this.addSql(`revoke all on function hoso_refuse_ended_unit() from public`);
    // The bulk loads of the seeds (hoso.bulk_load, as the owner) fill a tree they have just made.
    this.addSql(`
      create trigger member_unit_alive before insert or update of unit_id on member
      for each row when (${BULK_LOAD_SKIPS}) execute function hoso_refuse_ended_unit('unit_id', 'today')`);
    this.addSql(`
      create trigger post_unit_alive before insert or update of unit_id, start_on on post
      for each row when (${BULK_LOAD_SKIPS}) execute function hoso_refuse_ended_unit('unit_id', 'start_on')`);
    this.addSql(`
      create trigger transfer_unit_alive before insert on transfer
      for each row when (${BULK_LOAD_SKIPS}) execute function hoso_refuse_ended_unit('to_unit_id', 'today')`);

    this.addSql(`drop function hoso_transfer_destination(text)`);
    this.addSql(`
      create function hoso_transfer_destination(p_code text)
      returns table (id bigint, name text, path text, valid_to date)
      language sql stable security definer set search_path = public, pg_temp
      as $$ select u.id, u.name, u.path::text, u.valid_to from org_unit u where u.code = upper(p_code) and u.kind = 'CELL' $$`);
    this.addSql(`revoke all on function hoso_transfer_destination(text) from public`);
    this.addSql(`grant execute on function hoso_transfer_destination(text) to hoso_api`);
  }
}
