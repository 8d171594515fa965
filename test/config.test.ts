import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config';

describe('configuration', () => {
  it('PORT=abc stops start-up with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT must be a whole number/);
  });

  it('production without HOSO_JWT_SECRET refuses to start', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/HOSO_JWT_SECRET is required in production/);
  });

  it('a short secret, a bad DATABASE_URL or an unknown NODE_ENV are refused', () => {
    expect(() => loadConfig({ HOSO_JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadConfig({ NODE_ENV: 'staging' })).toThrow(/NODE_ENV/);
  });

  it('the embedded PostgreSQL cache size is read in MB or GB, and anything else is refused by name', () => {
    expect(loadConfig({}).embeddedPgSharedBuffers).toBe('512MB');
    expect(loadConfig({ HOSO_PG_SHARED_BUFFERS: '6gb' }).embeddedPgSharedBuffers).toBe('6GB');
    expect(loadConfig({ HOSO_PG_SHARED_BUFFERS: '2048MB' }).embeddedPgSharedBuffers).toBe('2048MB');
    for (const bad of ['6', 'lots', '8MB', '2TB', '1.5GB']) {
      expect(() => loadConfig({ HOSO_PG_SHARED_BUFFERS: bad })).toThrow(/HOSO_PG_SHARED_BUFFERS must be a size in MB or GB/);
    }
  });

  it('the demo seed never loads in production', () => {
    const config = loadConfig({ NODE_ENV: 'production', HOSO_JWT_SECRET: 'x'.repeat(40), HOSO_DEMO_SEED: 'true' });
    expect(config.demoSeed).toBe(false);
  });

  it('the server process exits with the message, before touching any database', () => {
    const root = path.join(__dirname, '..');
    const result = spawnSync(process.execPath, ['--require', 'reflect-metadata', '-e', `
      process.env.PORT = 'abc';
      require('./dist/src/main.js');
    `], { cwd: root, encoding: 'utf8', env: { ...process.env, PORT: 'abc', HOSO_DATA_DIR: '/nonexistent/never-created' }, timeout: 30_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Hồ sơ cannot start: PORT must be a whole number');
  });
});
