import type { Logger } from 'pino';
import { startApp, type RunningApp } from '../../src/app';
import type { Clock } from '../../src/clock';
import { loadConfig } from '../../src/config';
import { DEMO_PASSWORD } from '../../seeds/demo';
import { createTestDatabase, type TestDatabase } from './db';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256!';

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

export interface TestApp {
  db: TestDatabase;
  app: RunningApp;
  url: string;
  /** SQL statements run by the API since the last reset. */
  queries: string[];
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GraphQLResponse<T>>;
  login(username: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

/** The real API over HTTP on its own cloned database: what a client sees, end to end. */
export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    clock?: Clock;
    /** Where the API connects instead of its database's own URL (a test's proxy in front of it). */
    apiUrl?: (url: string) => string;
    /** Receives the server's log lines (errors are printed by default). */
    log?: (message: string, error?: unknown) => void;
    /** The structured logger (request lines); by default one at HOSO_LOG_LEVEL, silent unless a test sets it. */
    logger?: Logger;
    /** On the demo after the 2025 reform (createTestDatabase). */
    reformed?: boolean;
  } = {},
): Promise<TestApp> {
  const db = await createTestDatabase({ reformed: options.reformed });
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOSO_JWT_SECRET: TEST_JWT_SECRET,
    // Test files sign in many times from one address; the rate-limit test sets its own limits.
    HOSO_LOGIN_ATTEMPTS_PER_ADDRESS: '10000',
    // One JSON line per request would fill the test output; a test that reads them passes a logger.
    HOSO_LOG_LEVEL: 'silent',
    ...env,
  });
  const queries: string[] = [];
  const app = await startApp(config, {
    apiUrl: options.apiUrl ? options.apiUrl(db.apiUrl) : db.apiUrl,
    jwtSecret: TEST_JWT_SECRET,
    logger: options.logger,
    // With a logger given, the other modules' messages go through it too.
    log:
      options.log ??
      (options.logger
        ? undefined
        : (message, error) => {
            if (error) console.error(message, error);
          }),
    // The audit sealer runs in the background on its own schedule; it is not part of a request.
    onQuery: (message) => {
      if (!message.includes('hoso_audit_seal') && !message.includes('hoso_statistics_refresh')) queries.push(message);
    },
    clock: options.clock,
  });
  const gql = async <T = any>(query: string, variables: Record<string, unknown> = {}, token?: string | null): Promise<GraphQLResponse<T>> => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse<T>, 'status'>) };
  };
  return {
    db,
    app,
    url: app.url,
    queries,
    gql,
    async login(username, password = DEMO_PASSWORD) {
      const result = await gql(
        `mutation($input: LoginInput!) { login(input: $input) { token userErrors { message } } }`,
        { input: { username, password } },
      );
      const token = result.data?.login?.token;
      if (!token) throw new Error(`login as ${username} failed: ${JSON.stringify(result)}`);
      return token;
    },
    async close() {
      await app.close();
      await db.drop();
    },
  };
}
