import crypto from 'node:crypto';
import { Client } from 'pg';
import { inject } from 'vitest';
import { ensureDatabase } from '../../src/database/embedded';

export interface TestDatabase {
  name: string;
  apiUrl: string;
  ownerUrl: string;
  drop(): Promise<void>;
}

/**
 * A fresh database for one test file, cloned from the migrated and seeded template: the demo's
 * tree before 2025, or with `reformed`, the demo as `npm start` serves it, after the 2025 reform.
 */
export async function createTestDatabase(options: { reformed?: boolean } = {}): Promise<TestDatabase> {
  const info = inject('db');
  const name = `hoso_test_${info.template.split('_').pop()}_${crypto.randomBytes(4).toString('hex')}`;
  await ensureDatabase(info.superUrl, name, options.reformed ? info.reformedTemplate : info.template);
  return {
    name,
    apiUrl: info.apiUrl.replace('/DATABASE', `/${name}`),
    ownerUrl: info.ownerUrl.replace('/DATABASE', `/${name}`),
    async drop() {
      const client = new Client({ connectionString: info.superUrl });
      await client.connect();
      await client.query(`drop database if exists "${name}" with (force)`);
      await client.end();
    },
  };
}

/** Runs SQL as the owner role (to look up expected values independently of the API). */
export async function ownerQuery<T extends Record<string, unknown>>(db: TestDatabase, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: db.ownerUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
