import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../src/database/embedded';
import { migrate } from '../src/database/orm';
import { tunePlanner } from '../src/database/planner-tuning';
import { dumpSchema } from '../src/database/schema-dump';

const root = path.join(__dirname, '..');
const migrationsDir = path.join(root, 'migrations');

/** Every module a file imports or re-exports, statically, dynamically or with require(). */
function importedModules(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
    /\brequire\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]);
  return found;
}

describe('the database contract (db/schema.sql)', () => {
  const info = inject('db');
  const name = `hoso_test_${info.template.split('_').pop()}_schema_${crypto.randomBytes(4).toString('hex')}`;
  const withDatabase = (url: string) => url.replace('/DATABASE', `/${name}`);

  beforeAll(async () => {
    // A new, empty database migrated from scratch (not the seeded template), as `npm run schema` does.
    await ensureDatabase(info.superUrl, name);
    await migrate(withDatabase(info.ownerUrl));
    await tunePlanner(info.superUrl, name);
  });

  afterAll(async () => {
    const client = new Client({ connectionString: info.superUrl });
    await client.connect();
    await client.query(`drop database if exists "${name}" with (force)`);
    await client.end();
  });

  it('db/schema.sql is what the migrations build (regenerate with `npm run schema`)', async () => {
    const client = new Client({ connectionString: withDatabase(info.ownerUrl) });
    await client.connect();
    let dumped: string;
    try {
      dumped = await dumpSchema(client);
    } finally {
      await client.end();
    }
    const file = path.join(root, 'db', 'schema.sql');
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    expect(
      dumped,
      'db/schema.sql is not what the migrations build: run `npm run schema` and commit db/schema.sql with the migration',
    ).toBe(committed);
  });

  it('migrations are frozen: none imports from src/ or from another migration', () => {
    const files = fs.readdirSync(migrationsDir).filter((f) => /^Migration\d+\w*\.ts$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const offending: string[] = [];
    for (const file of files) {
      const modules = importedModules(fs.readFileSync(path.join(migrationsDir, file), 'utf8'));
      // Sanity: the pattern does see imports (every migration extends @mikro-orm/migrations' Migration).
      expect(modules, file).toContain('@mikro-orm/migrations');
      // Only npm packages: any relative or absolute path is live code (src/, seeds/, another migration).
      for (const module of modules) if (module.startsWith('.') || path.isAbsolute(module)) offending.push(`${file} imports ${module}`);
    }
    expect(
      offending,
      'A migration must not import from src/ or from another migration: copy the SQL or data it needs into it, as it is today',
    ).toEqual([]);
  });
});
