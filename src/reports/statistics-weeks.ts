import type { MikroORM } from '@mikro-orm/postgresql';
import { isDatabaseUnavailable, type DatabaseOutage } from '../database/availability';

/**
 * How long one week's build may take. It is background work, not a request: the API role's 30 s
 * limit is for requests. A week holding a reorganisation moves every member of the units it
 * changed, and at 360,000 members the 2025 reform's week took longer than 30 s, so every pass
 * after a load stopped there and the weeks after it stayed stale.
 */
const WEEK_TIMEOUT = '10min';

/**
 * Builds the next stale or missing week (hoso_statistics_refresh(1)) in its own transaction with
 * WEEK_TIMEOUT; answers how many weeks it built (0: none left, or a writer holds the settings).
 * The server's passes and the CLI's rebuild after a load both use it.
 */
export async function buildStatisticsWeek(orm: MikroORM): Promise<number> {
  return orm.em.fork().transactional(async (em) => {
    await em.execute(`set local statement_timeout = '${WEEK_TIMEOUT}'`);
    const [row] = await em.execute<{ weeks: number }[]>('select hoso_statistics_refresh(1) as weeks');
    return row?.weeks ?? 0;
  });
}

/**
 * Keeps the weekly statistics snapshots (migration 33) up to date: at start, then every
 * `intervalMs`, `hoso_statistics_refresh` is called until it has no week left to build, a week
 * per statement — the weeks left stale by a reorganisation or a load first, then the new
 * weeks up to this one. Reports stay exact without it (they correct from the last good week); it
 * keeps them fast. Runs on the primary: it writes. Several API instances may run it at once; the
 * function locks the snapshots' settings, so a week is built once.
 *
 * One week per statement: writers of facts wait while a week is built, so a build is kept short.
 * A pass ends early when a writer holds the settings (the function answers 0, migration 36): a
 * load's chunks then go on without waiting, and the next pass builds what they left stale.
 */
export function startStatisticsWeeks(
  orm: MikroORM,
  log: (message: string, error?: unknown) => void,
  outage: DatabaseOutage,
  intervalMs = 3_600_000,
): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const pass = async () => {
    for (;;) {
      if (stopped) return;
      if ((await buildStatisticsWeek(orm)) === 0) return;
    }
  };
  const run = () => {
    if (running) return;
    running = pass()
      .catch((error) => (isDatabaseUnavailable(error) ? outage.noticed(error) : log('building the statistics weeks failed', error)))
      .finally(() => (running = null));
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
