import { Migration } from '@mikro-orm/migrations';

/**
 * Verification never fails because a sealer ran. hoso_verify_audit() used to seal first, also
 * inside the API's read-only requests, which run in one REPEATABLE READ snapshot: when the
 * background sealer had sealed events after that snapshot was taken, the verification's own
 * sealing updated the same rows and PostgreSQL refused with "could not serialize access due to
 * concurrent update" (and it would have read a stale chain head had it been allowed to go on).
 *
 * Now it seals first only in a READ COMMITTED, writable transaction (the CLI, a DBA's session),
 * where each statement sees the latest commits and the advisory lock orders it after any other
 * sealer. In a snapshot it writes nothing and checks the chain as sealed in that snapshot: sealing
 * runs one pass at a time and each pass commits whole, so a snapshot always holds a complete
 * prefix of the chain. Events not yet sealed (no chain position, no hashes: committed less than
 * a sealer interval ago) are not part of the chain yet and are neither counted nor a break; an
 * event that has any chain column but not all of them, or whose hash or link does not hold, is.
 * `events` is the number of chained events checked.
 */
export class Migration20261126000015AuditVerifyInSnapshot extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create or replace function hoso_verify_audit()
      returns table (broken_id bigint, problem text, events bigint, head bytea)
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        if current_setting('transaction_isolation') = 'read committed' and current_setting('transaction_read_only') = 'off' then
          perform hoso_audit_seal();
        end if;
        return query
          with chain as (
            select e.id, e.chain_seq, e.hash, e.prev_hash, lag(e.hash) over (order by e.chain_seq) as expected_prev,
                   digest(coalesce(e.prev_hash, '') || hoso_audit_content(e), 'sha256') as recomputed
              from audit_event e
             where e.chain_seq is not null or e.hash is not null or e.prev_hash is not null
          ), first_break as (
            select c.id, case when c.hash <> c.recomputed then 'content changed'
                              else 'link broken (an event before it was removed or changed)' end as problem
              from chain c
             where c.chain_seq is null or c.hash is null or c.hash <> c.recomputed or c.prev_hash is distinct from c.expected_prev
             order by c.chain_seq nulls first limit 1
          )
          select (select f.id from first_break f), (select f.problem from first_break f),
                 (select count(*) from chain), (select a.hash from audit_event a where a.chain_seq is not null order by a.chain_seq desc limit 1);
      end $$`);
    this.addSql(`revoke all on function hoso_verify_audit() from public`);
    this.addSql(`grant execute on function hoso_verify_audit() to hoso_api`);
  }
}
