import { Pool } from 'pg';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { LoginLimiter } from '../access/login-limits';
import { systemClock, type Clock } from '../clock';
import { TokenService } from '../access/tokens';
import type { Config } from '../config';
import { startAuditSealer } from '../audit';
import { startStatisticsWeeks } from '../reports';
import { openOrm, watchStatements } from '../database/orm';
import { ReadReplica, openReplicaOrm } from '../database/replica';
import { prepareStatements } from '../database/sql';
import { rlsBypassReasons } from '../database/role-check';
import { createApollo } from './apollo';
import type { RequestContext } from '../access/context';
import { DatabaseOutage } from '../database/availability';
import { lanesFor } from '../database/lanes';
import { checkRuleSettings, entities, preloads } from './features';
import { createHttpServer } from './server';
import { createLogger, logFunction, type Log, type Logger } from '../observability/logger';
import { Metrics } from '../observability/metrics';
import { requestOnConnection } from '../observability/request-context';

export type { Log } from '../observability/logger';

export interface RunningApp {
  url: string;
  server: Server;
  orm: MikroORM;
  /** The read replica's ORM (HOSO_READ_DATABASE_URL), or null when every request goes to `orm`. */
  readOrm: MikroORM | null;
  logger: Logger;
  /** This app's metrics (its own registry). */
  metrics: Metrics;
  apollo: ApolloServer<RequestContext>;
  /**
   * Stops accepting, lets requests in flight finish for at most `drainMs` (default: the
   * configured drain), then stops the audit sealer and closes the pool. True when nothing was cut.
   */
  close(drainMs?: number): Promise<boolean>;
  /** Requests being answered now. */
  inFlight(): number;
}

/** Wires the API on an already migrated database and starts listening (used by main and tests). */
export async function startApp(
  config: Config,
  options: {
    apiUrl: string;
    jwtSecret: string;
    /**
     * Structured logger; by default one made from the configuration (pretty in development,
     * JSON lines on stdout otherwise, level HOSO_LOG_LEVEL).
     */
    logger?: Logger;
    /** Plain messages of the other modules; by default written through `logger`. */
    log?: Log;
    /** Called with every SQL statement the API sends (tests count them). */
    onQuery?: (sql: string) => void;
    /** Another executable schema (the benchmark measures the permission layer by leaving it out). */
    schema?: GraphQLSchema;
    /** Today's date for the lifecycle rules (tests set a fixed day). */
    clock?: Clock;
  },
): Promise<RunningApp> {
  checkRuleSettings(config);
  const logger = options.logger ?? createLogger(config);
  const log = options.log ?? logFunction(logger);
  // The driver's per-connection messages ("Connection Error: …") are debug detail: an outage is
  // logged once by DatabaseOutage, and stdout stays JSON in production.
  const driverLog = (message: string) => logger.debug({ driver: 'knex' }, message);
  const orm = await openOrm(options.apiUrl, config.poolSize, entities, driverLog);
  if (options.onQuery) watchStatements(orm, options.onQuery);
  prepareStatements(orm, config.preparedStatements);
  // The read replica: its own pool of the same size (with short timeouts), the same prepared
  // statements and role check.
  let readOrm: MikroORM | null = null;
  let replica: ReadReplica | null = null;
  // Each pool is closed even when closing the other fails.
  const closeOrms = async () => {
    try {
      await orm.close(true);
    } finally {
      await readOrm?.close(true);
    }
  };
  try {
    if (config.readDatabaseUrl) {
      readOrm = await openReplicaOrm(config.readDatabaseUrl, config.poolSize, entities, driverLog);
      if (options.onQuery) watchStatements(readOrm, options.onQuery);
      prepareStatements(readOrm, config.preparedStatements);
      countRequestStatements(readOrm);
    }
    for (const [which, checked] of [['', orm], [' on the read replica (HOSO_READ_DATABASE_URL)', readOrm]] as const) {
      if (!checked) continue;
      const bypass = await rlsBypassReasons(checked).catch((error: Error) => {
        if (checked === orm) throw error;
        throw new Error(`The read replica (HOSO_READ_DATABASE_URL) did not answer at start: ${error.message}`);
      });
      if (!bypass.length) continue;
      const message = `Row-level security would not bind the API${which}: ${bypass.join('; ')}. Connect as a role like hoso_api (see README).`;
      if (config.env === 'production') throw new Error(message);
      log(`WARNING: ${message}`);
    }
    if (readOrm) {
      // Before listening: the primary's position now bounds what the replica may answer.
      replica = new ReadReplica(readOrm, orm, log, config.readMaxLagSeconds);
      await replica.start();
    }
  } catch (error) {
    await replica?.close();
    await closeOrms();
    throw error;
  }
  // The login limits' own small pool: their counts are written outside any request's
  // transaction and shared with every instance on the database (src/access/login-limits.ts).
  const limitsPool = new Pool({ connectionString: options.apiUrl, max: 2, idleTimeoutMillis: 30_000 });
  limitsPool.on('error', (error) => logger.debug({ pool: 'login limits' }, error.message));
  const app = { config, tokens: new TokenService(options.jwtSecret, config.tokenTtlSeconds), loginLimiter: new LoginLimiter(limitsPool, config.loginLimits), preloads,
    clock: options.clock ?? systemClock,
  };
  const apollo = createApollo(config, log, options.schema);
  await apollo.start();
  const outage = new DatabaseOutage(log);
  const lanes = lanesFor(config.poolSize);
  const metrics = new Metrics(orm, lanes);
  if (config.readDatabaseUrl) {
    const { host, pathname } = new URL(config.readDatabaseUrl);
    logger.info({ readReplica: `${host}${pathname}` }, 'requests that only read are answered by the read replica');
  }
  const http = createHttpServer({ orm, replica, apollo, app, lanes, outage, log, logger, metrics });
  const { server } = http;
  const stopSealer = startAuditSealer(orm, log, outage);
  const stopWeeks = startStatisticsWeeks(orm, log, outage);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    server,
    orm,
    readOrm,
    logger,
    metrics,
    apollo,
    inFlight: () => http.inFlight(),
    async close(drainMs = config.shutdownDrainMs) {
      const inTime = await http.drain(drainMs);
      await apollo.stop().catch(() => {});
      await stopSealer();
      await stopWeeks();
      await replica?.close();
      await closeOrms();
      await limitsPool.end().catch(() => {});
      metrics.close();
      return inTime;
    },
  };
}

/**
 * Counts the statements sent on `orm`'s connections to the request holding each (its log line's
 * `statements`), as Metrics does for the primary's: a read answered by the replica counts its
 * statements there.
 */
function countRequestStatements(orm: MikroORM): void {
  orm.em.getConnection().getKnex().on('query', (event: { __knexUid?: string }) => {
    const request = requestOnConnection(event.__knexUid);
    if (request) request.statements++;
  });
}
