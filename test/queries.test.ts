import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryExampleStatements } from '../src/app';
import { createTestDatabase, type TestDatabase } from './support/db';

/**
 * The statements of the snapshots (src/*\/*.queries.sql) are real SQL for this schema: each one
 * is prepared (parsed, its types resolved, planned) by PostgreSQL as the API role, so a variant
 * a test seldom reaches cannot carry a mistake into production unseen.
 */
describe('the snapshot statements are valid SQL for the API role', () => {
  let db: TestDatabase;
  let client: Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new Client({ connectionString: db.apiUrl });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it.each(queryExampleStatements().map((s) => [s.name, s.text] as const))('%s', async (_name, text) => {
    await client.query('begin');
    try {
      await client.query(`prepare checked as ${text}`);
      const { rows } = await client.query(`select parameter_types::text as types from pg_prepared_statements where name = 'checked'`);
      expect(rows[0].types).not.toContain('unknown');
    } finally {
      await client.query('rollback');
      await client.query('deallocate all');
    }
  });
});
