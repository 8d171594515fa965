import { Client } from 'pg';
import { seedDemo } from '../../seeds/demo';
import type { Config } from '../config';
import { ensureDatabase, startEmbeddedPostgres } from './embedded';
import { migrate } from './orm';
import { tunePlanner } from './planner-tuning';

/** Where the API and its migrations connect, and how to let go of the database at the end. */
export interface DatabaseTarget {
  /** The API's role: no superuser, no BYPASSRLS. */
  apiUrl: string;
  /** The owner role: runs migrations and the seed. */
  ownerUrl: string;
  embedded: boolean;
  /** Superuser connection to the server, when we have one (the embedded cluster). */
  superUrl?: string;
  database?: string;
  stop(): Promise<void>;
}

export const EMBEDDED_DATABASE = 'hoso';

/** The configured PostgreSQL (DATABASE_URL), or the embedded one in the data folder. */
export async function openDatabase(config: Config, log: (line: string) => void): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    return {
      apiUrl: config.databaseUrl,
      ownerUrl: config.migrationDatabaseUrl ?? config.databaseUrl,
      embedded: false,
      stop: async () => {},
    };
  }
  const db = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    sharedBuffers: config.embeddedPgSharedBuffers,
    log: () => {},
  });
  log(`Embedded PostgreSQL running on 127.0.0.1:${config.embeddedPgPort}, data in ${config.dataDir}`);
  await ensureDatabase(db.superUrl, EMBEDDED_DATABASE);
  return {
    apiUrl: db.apiUrl(EMBEDDED_DATABASE),
    ownerUrl: db.ownerUrl(EMBEDDED_DATABASE),
    embedded: true,
    superUrl: db.superUrl,
    database: EMBEDDED_DATABASE,
    stop: () => db.stop(),
  };
}

/** Migrates; then, on an empty database and when asked, loads the demo seed. */
export async function prepareDatabase(
  target: { ownerUrl: string; superUrl?: string; database?: string },
  options: { demoSeed: boolean; demoMembers: number },
  log: (line: string) => void,
): Promise<{ seeded: boolean }> {
  const applied = await migrate(target.ownerUrl);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  if (target.superUrl && target.database) await tunePlanner(target.superUrl, target.database);
  if (!options.demoSeed) return { seeded: false };
  const connect = async () => {
    const client = new Client({ connectionString: target.ownerUrl });
    await client.connect();
    return client;
  };
  const client = await connect();
  try {
    const { rows } = await client.query<{ empty: boolean; accounts: boolean }>(
      'select not exists (select 1 from org_unit) as empty, exists (select 1 from account) as accounts',
    );
    if (!rows[0].empty) {
      // The seed writes accounts last: units without accounts mean a seed that was killed midway.
      if (!rows[0].accounts) log('WARNING: the demo data look incomplete (a seed was interrupted); delete the data folder to seed again.');
      return { seeded: false };
    }
    const started = Date.now();
    const result = await seedDemo(connect, { members: options.demoMembers });
    log(`Demo seed: ${result.units} units, ${result.members} members in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { seeded: true };
  } finally {
    await client.end();
  }
}
