import type { AddressInfo } from 'node:net';
import type http from 'node:http';
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
import { createHttpServer } from './server';

export type Log = (message: string, error?: unknown) => void;

export interface RunningApp {
  url: string;
  server: http.Server;
  orm: MikroORM;
  apollo: ApolloServer<RequestContext>;
  close(): Promise<void>;
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
  const server = createHttpServer({ orm, apollo, app, log: options.log });
  const stopSealer = startAuditSealer(orm, options.log);
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host}:${port}`,
    server,
    orm,
    apollo,
    async close() {
      server.close();
      server.closeAllConnections();
      await apollo.stop().catch(() => {});
      await stopSealer();
      await orm.close(true);
    },
  };
}
