import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/config';
import { freePort } from '../src/database/embedded';
import { DEMO_PASSWORD } from '../seeds/demo';
import { createTestDatabase, ownerQuery, type TestDatabase } from './support/db';

/** Failed logins on one username before it is locked, in this test. */
const FAILURES = 3;

/**
 * Two API processes on one database, as behind a load balancer: the built server (`npm test`
 * builds first), in production mode, each with its own memory. The login limits live in
 * PostgreSQL, so a guesser gains nothing by spreading attempts over the instances.
 */
describe('two API instances on one database', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];
  const urls: string[] = [];

  async function startInstance(secret: string): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/main.js')], {
      cwd: os.tmpdir(),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: db.apiUrl,
        MIGRATION_DATABASE_URL: db.ownerUrl,
        HOSO_JWT_SECRET: secret,
        HOSO_LOGIN_FAILURES_PER_USERNAME: String(FAILURES),
        HOSO_LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const until = Date.now() + 60_000;
    while (!output.includes('Hồ sơ is ready')) {
      if (child.exitCode !== null || Date.now() > until) throw new Error(`the instance did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return `http://127.0.0.1:${port}`;
  }

  const login = async (url: string, username: string, password: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation($i: LoginInput!) { login(input: $i) { token userErrors { code } } }', variables: { i: { username, password } } }),
    });
    const body = (await response.json()) as any;
    return { token: (body.data?.login?.token as string | null) ?? null, code: (body.errors?.[0]?.extensions?.code as string | undefined) ?? body.data?.login?.userErrors?.[0]?.code };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    const secret = crypto.randomBytes(32).toString('base64url');
    urls.push(...(await Promise.all([startInstance(secret), startInstance(secret)])));
  });
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null ? undefined : new Promise((resolve) => c.once('exit', resolve)))));
    await db?.drop();
  });

  it('locks a username after its failures spread over both instances, on both', async () => {
    const [a, b] = urls;
    // Failures alternate between the instances: each has seen fewer than the limit on its own.
    for (let i = 0; i < FAILURES; i++) {
      const attempt = await login(i % 2 === 0 ? a : b, 'haichau', `wrong-${i}`);
      expect(attempt.token, `attempt ${i + 1}`).toBeNull();
      expect(attempt.code, `attempt ${i + 1}`).not.toBe('RATE_LIMITED');
    }
    // Now locked everywhere, even with the right password (which is then not checked).
    expect(await login(b, 'haichau', DEMO_PASSWORD)).toEqual({ token: null, code: 'RATE_LIMITED' });
    expect(await login(a, 'haichau', DEMO_PASSWORD)).toEqual({ token: null, code: 'RATE_LIMITED' });
    const [row] = await ownerQuery<{ points: number }>(db, `select points from login_limit where key = 'u:haichau'`);
    expect(row.points).toBeGreaterThanOrEqual(FAILURES);
  });

  it('keeps other usernames open, and a token from one instance works on the other', async () => {
    const [a, b] = urls;
    const { token } = await login(a, 'admin', DEMO_PASSWORD);
    expect(token).toBeTruthy();
    const response = await fetch(`${b}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { username } }' }),
    });
    expect(((await response.json()) as any).data.me.username).toBe('admin');
  });
});
