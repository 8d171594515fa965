import type { MikroORM } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable, type DatabaseOutage } from '../database/availability';

/**
 * Links newly committed audit events into the hash chain every `intervalMs` (hoso_audit_seal).
 * Writers never wait for the chain; an event is unsealed only until the next pass, and
 * verification seals before it checks.
 */
export function startAuditSealer(
  orm: MikroORM,
  log: (message: string, error?: unknown) => void,
  outage: DatabaseOutage,
  intervalMs = 500,
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return; // the previous pass is still at work
    running = orm.em
      .fork()
      .getConnection()
      .execute('select hoso_audit_seal()')
      .then(() => outage.succeeded())
      // During an outage the sealer retries quietly: the outage is logged once, not every pass.
      .catch((error) => (isDatabaseUnavailable(error) ? outage.noticed(error) : log('sealing audit events failed', error)))
      .finally(() => (running = null));
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
