import { Migration } from '@mikro-orm/migrations';

/**
 * Sealing in batches instead of at each commit. Sealing at commit held the chain lock through
 * every writer's commit flush, so concurrent writers committed one at a time (23–99 mutations/s
 * with 8 writers). Now writers only insert events; hoso_audit_seal() chains the events already
 * committed, in one short transaction, and is run by the API every few hundred milliseconds and
 * by verification first. An event is unsealed only until the next pass.
 */
export class Migration20261126000009AuditBatchSeal extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop trigger audit_event_seal on audit_event`);
    this.addSql(`drop function hoso_audit_seal()`);
    this.addSql(`create index audit_event_unsealed_idx on audit_event (id) where hash is null`);
    this.addSql(`
      create function hoso_audit_seal() returns integer
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      declare
        v_prev bytea;
        v_count integer := 0;
        e audit_event;
      begin
        -- One sealer at a time; a second caller simply waits for the first to finish.
        perform pg_advisory_xact_lock(7355608);
        select hash into v_prev from audit_event where chain_seq = (select max(chain_seq) from audit_event);
        -- Only committed events are visible here; each joins the chain after the last sealed one.
        for e in select * from audit_event where hash is null order by id loop
          e.chain_seq := nextval('audit_chain_seq');
          e.prev_hash := v_prev;
          e.hash := digest(coalesce(v_prev, '') || hoso_audit_content(e), 'sha256');
          update audit_event set chain_seq = e.chain_seq, prev_hash = e.prev_hash, hash = e.hash where id = e.id;
          v_prev := e.hash;
          v_count := v_count + 1;
        end loop;
        return v_count;
      end $$`);
    this.addSql(`revoke all on function hoso_audit_seal() from public`);
    this.addSql(`grant execute on function hoso_audit_seal() to hoso_api`);
    // Verification seals what is committed first, then checks the whole chain.
    this.addSql(`drop function hoso_verify_audit()`);
    this.addSql(`
      create function hoso_verify_audit()
      returns table (broken_id bigint, problem text, events bigint, head bytea)
      language plpgsql security definer set search_path = public, pg_temp
      as $$
      begin
        perform hoso_audit_seal();
        return query
          with chain as (
            select e.id, e.chain_seq, e.hash, e.prev_hash, lag(e.hash) over (order by e.chain_seq) as expected_prev,
                   digest(coalesce(e.prev_hash, '') || hoso_audit_content(e), 'sha256') as recomputed
              from audit_event e
          ), first_break as (
            select c.id, case when c.hash <> c.recomputed then 'content changed'
                              else 'link broken (an event before it was removed or changed)' end as problem
              from chain c where c.hash is null or c.hash <> c.recomputed or c.prev_hash is distinct from c.expected_prev
             order by c.chain_seq nulls first limit 1
          )
          select (select f.id from first_break f), (select f.problem from first_break f),
                 (select count(*) from audit_event), (select a.hash from audit_event a order by a.chain_seq desc nulls last limit 1);
      end $$`);
    this.addSql(`revoke all on function hoso_verify_audit() from public`);
    this.addSql(`grant execute on function hoso_verify_audit() to hoso_api`);
  }
}
