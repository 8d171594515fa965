import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { ApolloServer } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import { LoginLimiter } from './access/login-limits';
import { systemClock, type Clock } from './clock';
import { TokenService } from './access/tokens';
import type { Config } from './config';
import { startAuditSealer } from './audit/sealer';
import { openOrm } from './database/orm';
import { rlsBypassReasons } from './database/role-check';
import { createApollo } from './graphql/apollo';
import type { RequestContext } from './graphql/context';
import { DatabaseOutage } from './database/availability';
import { lanesFor } from './database/lanes';
import { createHttpServer } from './server';

export type Log = (message: string, error?: unknown) => void;

export interface RunningApp {
  url: string;
  server: Server;
  orm: MikroORM;
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
    log: Log;
    onQuery?: (sql: string) => void;
    /** Another executable schema (the benchmark measures the permission layer by leaving it out). */
    schema?: GraphQLSchema;
    /** Today's date for the lifecycle rules (tests set a fixed day). */
    clock?: Clock;
  },
): Promise<RunningApp> {
  const orm = await openOrm(options.apiUrl, config.poolSize, options.onQuery);
  const bypass = await rlsBypassReasons(orm);
  if (bypass.length) {
    const message = `Row-level security would not bind the API: ${bypass.join('; ')}. Connect as a role like hoso_api (see README).`;
    if (config.env === 'production') {
      await orm.close(true);
      throw new Error(message);
    }
    options.log(`WARNING: ${message}`);
  }
  const app = { config, tokens: new TokenService(options.jwtSecret, config.tokenTtlSeconds), loginLimiter: new LoginLimiter(config.loginLimits),
    clock: options.clock ?? systemClock,
  };
  const apollo = createApollo(config, options.log, options.schema);
  await apollo.start();
  const outage = new DatabaseOutage(options.log);
  const http = createHttpServer({ orm, apollo, app, lanes: lanesFor(config.poolSize), outage, log: options.log });
  const { server } = http;
  const stopSealer = startAuditSealer(orm, options.log, outage);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    server,
    orm,
    apollo,
    inFlight: () => http.inFlight(),
    async close(drainMs = config.shutdownDrainMs) {
      const inTime = await http.drain(drainMs);
      await apollo.stop().catch(() => {});
      await stopSealer();
      await orm.close(true);
      return inTime;
    },
  };
}
