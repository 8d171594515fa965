import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config';
import { backupEmbedded, checkAudit, restoreEmbedded } from '../src/database/backup';
import { EMBEDDED_DATABASE, prepareDatabase } from '../src/database/database';
import { type EmbeddedDatabase, ensureDatabase, freePort, startEmbeddedPostgres } from '../src/database/embedded';

/**
 * Backup and restore need a cluster of their own (a restore replaces the whole cluster): one in a
 * temporary data folder, laid out as `hoso` lays out its data folder, with a small demo seed.
 */
describe('backup and restore of the embedded cluster', () => {
  let root: string;
  let dataDir: string;
  let port: number;
  let db: EmbeddedDatabase | undefined;
  const timings: string[] = [];

  const start = async () => {
    db ??= await startEmbeddedPostgres({ dataDir, port });
  };
  const stop = async () => {
    await db?.stop();
    db = undefined;
  };
  const ownerQuery = async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: db!.ownerUrl(EMBEDDED_DATABASE) });
    await client.connect();
    try {
      return (await client.query<T>(sql, params)).rows;
    } finally {
      await client.end();
    }
  };
  const memberName = async (id: string) =>
    (await ownerQuery<{ full_name: string }>('select full_name from member where id = $1', [id]))[0].full_name;
  /** The data folder's entries (a refused restore must leave them as they were). */
  const folder = () => fs.readdirSync(dataDir).sort();

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-backup-'));
    dataDir = path.join(root, 'data');
    port = await freePort();
    await start();
    await ensureDatabase(db!.superUrl, EMBEDDED_DATABASE);
    await prepareDatabase(
      { ownerUrl: db!.ownerUrl(EMBEDDED_DATABASE), superUrl: db!.superUrl, database: EMBEDDED_DATABASE },
      { demoSeed: true, demoMembers: 200 },
      () => {},
    );
  });

  afterAll(async () => {
    await stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
    if (timings.length) console.log(timings.join('\n'));
  });

  it('backs up online while members are being changed; a restore undoes later changes and the audit chain verifies', async () => {
    const [first, second] = await ownerQuery<{ id: string }>('select id::text from member order by id limit 2');
    await ownerQuery(`update member set full_name = 'Nguyễn Văn Trước' where id = $1`, [first.id]);
    const before = await checkAudit(db!.ownerUrl(EMBEDDED_DATABASE));
    expect(before.ok).toBe(true);
    expect(before.events).toBeGreaterThan(0);

    // Writes go on during the copy, as they would with the API running: the WAL replay makes them consistent.
    let writing = true;
    let writes = 0;
    const writer = (async () => {
      const client = new Client({ connectionString: db!.ownerUrl(EMBEDDED_DATABASE) });
      await client.connect();
      while (writing) {
        await client.query(`update member set full_name = $2 where id = $1`, [second.id, `Trần Thị Ghi ${++writes}`]);
      }
      await client.end();
    })();
    const file = path.join(root, 'hoso.tar.gz');
    const backup = await backupEmbedded(file, { dataDir, port }).finally(() => (writing = false));
    await writer;
    expect(backup.online).toBe(true);
    expect(writes).toBeGreaterThan(0);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    timings.push(`backup (200 members, online): ${backup.ms} ms, ${(backup.bytes / 1024 / 1024).toFixed(1)} MB, ${backup.files} files, ${backup.walFiles} WAL segment(s), ${writes} concurrent updates`);

    // After the backup: a change the restore must undo (the audit trigger records it too).
    await ownerQuery(`update member set full_name = 'Nguyễn Văn Sau' where id = $1`, [first.id]);
    const after = await checkAudit(db!.ownerUrl(EMBEDDED_DATABASE));
    expect(after.events).toBeGreaterThan(before.events);

    // A backup never overwrites a file; a restore refuses while PostgreSQL runs on the folder.
    await expect(backupEmbedded(file, { dataDir, port })).rejects.toThrow(/already exists/);
    await expect(restoreEmbedded(file, { dataDir, port })).rejects.toThrow(/is running .*stop the API/);

    await stop();
    const restored = await restoreEmbedded(file, { dataDir, port });
    timings.push(`restore (200 members): ${restored.ms} ms`);
    expect(restored.audit).toMatchObject({ ok: true });
    expect(restored.previous).toMatch(/pg\.before-restore-/);
    expect(fs.existsSync(path.join(restored.previous!, 'PG_VERSION'))).toBe(true);

    await start();
    expect(await memberName(first.id)).toBe('Nguyễn Văn Trước');
    // The concurrent writer's name is one it wrote (whichever update the backup ended after).
    expect(await memberName(second.id)).toMatch(/^Trần Thị Ghi \d+$/);
    const audit = await checkAudit(db!.ownerUrl(EMBEDDED_DATABASE));
    expect(audit.ok).toBe(true);
    expect(audit.events).toBeGreaterThanOrEqual(before.events);
    expect(audit.events).toBeLessThan(after.events);
    // The chain as it was before the backup is still there, unchanged, and the later change left no event.
    const [{ present }] = await ownerQuery<{ present: boolean }>(
      `select exists (select 1 from audit_event where hash = decode($1, 'hex')) as present`,
      [before.head],
    );
    expect(present).toBe(true);
    const [{ later }] = await ownerQuery<{ later: string }>(
      `select count(*)::text as later from audit_event where changes::text like '%Nguyễn Văn Sau%'`,
    );
    expect(later).toBe('0');

    // Things still work on the restored cluster: new changes are audited and chained.
    await ownerQuery(`update member set full_name = 'Nguyễn Văn Mới' where id = $1`, [first.id]);
    const next = await checkAudit(db!.ownerUrl(EMBEDDED_DATABASE));
    expect(next).toMatchObject({ ok: true, events: audit.events + 1 });
  });

  it('refuses a file that is not a backup, or a damaged one, and changes nothing', async () => {
    await start();
    await ownerQuery(`update member set full_name = 'Lê Văn Hiện Tại' where id = (select min(id) from member)`);
    const good = path.join(root, 'good.tar.gz');
    await backupEmbedded(good, { dataDir, port });
    await stop();
    const entries = folder();

    const notArchive = path.join(root, 'notes.txt');
    fs.writeFileSync(notArchive, 'this is not a backup\n'.repeat(100));
    const truncated = path.join(root, 'truncated.tar.gz');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, Math.floor(fs.statSync(good).size / 2)));
    const empty = path.join(root, 'empty.tar.gz');
    fs.writeFileSync(empty, '');

    for (const file of [notArchive, truncated, empty]) {
      const refusal = restoreEmbedded(file, { dataDir, port });
      await expect(refusal).rejects.toThrow(ConfigError);
      await expect(refusal).rejects.toThrow(/is not a usable Hồ sơ backup \(.+\)\. Nothing was changed\./);
      expect(folder()).toEqual(entries);
    }
    await expect(restoreEmbedded(path.join(root, 'missing.tar.gz'), { dataDir, port })).rejects.toThrow(/is not a file/);

    await start();
    const [{ full_name }] = await ownerQuery<{ full_name: string }>('select full_name from member order by id limit 1');
    expect(full_name).toBe('Lê Văn Hiện Tại');
    expect((await checkAudit(db!.ownerUrl(EMBEDDED_DATABASE))).ok).toBe(true);
  });

  it('backs up a stopped cluster by starting it for the copy, and stops it again', async () => {
    await stop();
    const file = path.join(root, 'offline.tar.gz');
    const backup = await backupEmbedded(file, { dataDir, port });
    expect(backup.online).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
    const restored = await restoreEmbedded(file, { dataDir, port });
    expect(restored.audit).toMatchObject({ ok: true });
  });
});
