import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { TestProject } from 'vitest/node';
import { API_ROLE, OWNER_ROLE, apiRoleSettingStatements, ensureDatabase, freePort, startEmbeddedPostgres } from '../src/database/embedded';
import { prepareDatabase } from '../src/database/database';
import { createRequire } from 'node:module';
import type * as AppModule from '../src/app';
import type * as ConfigModule from '../src/config';
import { DEMO_PASSWORD } from '../seeds/demo';
import { applyDemoReform, httpGraphQL } from '../seeds/demo-reform';

/** Members in the test template: enough for scope and pagination, small enough to clone fast. */
const TEST_MEMBERS = Number(process.env.HOSO_TEST_MEMBERS ?? 3000);

export interface TestDatabaseInfo {
  /** Superuser (or CREATEDB + CREATEROLE) connection to the server, for cloning. */
  superUrl: string;
  /** Connection strings with DATABASE as a placeholder for the database name. */
  ownerUrl: string;
  apiUrl: string;
  template: string;
  /** The same demo after the 2025 reform, as `npm start` serves it (seeds/demo-reform.ts). */
  reformedTemplate: string;
  testMembers: number;
}

declare module 'vitest' {
  export interface ProvidedContext {
    db: TestDatabaseInfo;
  }
}

function withDatabase(url: string, database: string) {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

function withCredentials(url: string, user: string, password: string) {
  const parsed = new URL(url);
  parsed.username = user;
  parsed.password = password;
  return parsed.toString();
}

/**
 * One PostgreSQL for the whole run: the embedded one in a temporary folder, or TEST_DATABASE_URL.
 * A template database is migrated and seeded once; each test file clones it (test/support/db.ts).
 */
export default async function setup(project: TestProject) {
  let superUrl: string;
  let stop = async () => {};
  let ownerPassword = 'test-owner';
  let apiPassword = 'test-api';
  if (process.env.TEST_DATABASE_URL) {
    superUrl = process.env.TEST_DATABASE_URL;
    const client = new Client({ connectionString: superUrl });
    await client.connect();
    for (const [role, password, attributes] of [
      [OWNER_ROLE, ownerPassword, 'LOGIN CREATEDB'],
      [API_ROLE, apiPassword, 'LOGIN NOSUPERUSER NOBYPASSRLS'],
    ]) {
      const exists = await client.query('select 1 from pg_roles where rolname = $1', [role]);
      await client.query(`${exists.rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} ${attributes} PASSWORD '${password}'`);
    }
    for (const statement of apiRoleSettingStatements()) await client.query(statement);
    await client.end();
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-test-'));
    const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    superUrl = db.superUrl;
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8'));
    ownerPassword = secrets.ownerPassword;
    apiPassword = secrets.apiPassword;
    stop = async () => {
      await db.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  }

  const template = `hoso_template_${process.pid}`;
  await ensureDatabase(superUrl, template);
  const ownerUrl = withCredentials(withDatabase(superUrl, 'DATABASE'), OWNER_ROLE, ownerPassword);
  await prepareDatabase(
    { ownerUrl: ownerUrl.replace('/DATABASE', `/${template}`), superUrl, database: template },
    { demoSeed: true, demoMembers: TEST_MEMBERS },
    () => {},
  );
  const apiUrl = withCredentials(withDatabase(superUrl, 'DATABASE'), API_ROLE, apiPassword);
  const reformedTemplate = `hoso_reformed_${process.pid}`;
  await reformTemplate(superUrl, template, reformedTemplate, ownerUrl, apiUrl);
  project.provide('db', { superUrl, ownerUrl, apiUrl, template, reformedTemplate, testMembers: TEST_MEMBERS });

  return async () => {
    const client = new Client({ connectionString: superUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database where datname = any($1) or datname like $2`,
      [[template, reformedTemplate], `hoso_test_${process.pid}_%`],
    );
    for (const { datname } of rows) await client.query(`drop database if exists "${datname}" with (force)`);
    await client.end();
    await stop();
  };
}

/**
 * The demo as `npm start` leaves it: a clone of the template, through the 2025 reform applied by
 * the API itself (a server started on the clone for the purpose, then closed).
 */
async function reformTemplate(superUrl: string, template: string, reformed: string, ownerUrl: string, apiUrl: string) {
  await ensureDatabase(superUrl, reformed, template);
  // The server as built (npm test builds first, as for test/shutdown.test.ts): the global setup's
  // module runner does not load the GraphQL stack as the test files' does.
  const load = createRequire(__filename);
  load('reflect-metadata');
  const { startApp } = load(path.join(__dirname, '..', 'dist', 'src', 'app')) as typeof AppModule;
  const { loadConfig } = load(path.join(__dirname, '..', 'dist', 'src', 'config')) as typeof ConfigModule;
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOSO_JWT_SECRET: 'reform-secret-that-is-long-enough-for-hs256!', HOSO_LOG_LEVEL: 'silent' });
  const app = await startApp(config, {
    apiUrl: apiUrl.replace('/DATABASE', `/${reformed}`),
    jwtSecret: 'reform-secret-that-is-long-enough-for-hs256!',
    log: (message, error) => {
      if (error) console.error(message, error);
    },
  });
  try {
    const connect = async () => {
      const client = new Client({ connectionString: ownerUrl.replace('/DATABASE', `/${reformed}`) });
      await client.connect();
      return client;
    };
    const runs = await applyDemoReform(connect, httpGraphQL(app.url), DEMO_PASSWORD);
    if (runs.length !== 2) throw new Error(`the demo reform ran ${runs.length} reorganisations, not 2`);
  } finally {
    await app.close();
  }
}
