import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../src/database/embedded';
import { projectRoot } from '../src/config';
import { DEMO_PASSWORD } from '../seeds/demo';

/** The built server (`npm test` builds first), started as `npm start` starts it, in its own data folder. */
interface Server {
  child: ChildProcess;
  url: string;
  dataDir: string;
  pgPort: number;
  output: () => string;
  exited: Promise<number | null>;
}

const DRAIN_SECONDS = 5;
const servers: Server[] = [];

async function startServer(): Promise<Server> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hoso-shutdown-'));
  const [port, pgPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [path.join(projectRoot(), 'dist/src/main.js')], {
    cwd: os.tmpdir(),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      HOSO_DATA_DIR: dataDir,
      HOSO_PG_PORT: String(pgPort),
      PORT: String(port),
      HOSO_DEMO_MEMBERS: '300',
      HOSO_SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const server = { child, url: `http://127.0.0.1:${port}`, dataDir, pgPort, output: () => output, exited };
  servers.push(server);
  const until = Date.now() + 150_000;
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`the server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server;
}

function postmasterPid(dataDir: string): number {
  return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function gql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * A GraphQL POST whose body is sent in two halves: after the first half the server is answering
 * it (headers read, body arriving), so it is in flight for certain when the signal comes.
 */
function halfSentPost(url: string, token: string, query: string, variables: Record<string, unknown> = {}) {
  const body = Buffer.from(JSON.stringify({ query, variables }));
  const half = Math.floor(body.length / 2);
  let request!: http.ClientRequest;
  const answer = new Promise<{ status: number; body: any }>((resolve, reject) => {
    request = http.request(
      `${url}/graphql`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': body.length, authorization: `Bearer ${token}` } },
      (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    request.on('error', reject);
    request.write(body.subarray(0, half));
  });
  return { answer, finish: () => request.end(body.subarray(half)) };
}

/** An export read slowly (pauses between chunks), so it is still streaming when the signal comes. */
function slowExport(url: string, token: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/exports/members.csv`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          response.pause();
          setTimeout(() => response.resume(), 20);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    try {
      const pid = postmasterPid(server.dataDir);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // no PostgreSQL left
    }
    fs.rmSync(server.dataDir, { recursive: true, force: true });
  }
});

describe('stopping the server (SIGTERM)', () => {
  it('lets reads, a mutation and an export in flight finish, refuses new requests, exits within the drain time and stops PostgreSQL', async () => {
    const server = await startServer();
    const login = await gql(server.url, `mutation($i: LoginInput!) { login(input: $i) { token } }`, { i: { username: 'admin', password: DEMO_PASSWORD } });
    const token = login.body.data.login.token as string;
    const list = await gql(server.url, `{ me { unit { id } } members(first: 1) { totalCount edges { node { id version } } } }`, {}, token);
    const city = list.body.data.me.unit.id as string;
    const total = list.body.data.members.totalCount as number;
    const member = list.body.data.members.edges[0].node;
    const pgPid = postmasterPid(server.dataDir);

    const reads = Array.from({ length: 4 }, (_, i) =>
      halfSentPost(server.url, token, `{ members(first: 100) { totalCount edges { node { fullName gender unit { name } } } } s: statistics(unitId: "${city}", asOf: "202${i}-01-01") { total } }`),
    );
    const update = halfSentPost(
      server.url,
      token,
      `mutation($input: UpdateMemberInput!) { updateMember(input: $input) { member { homeTown version } userErrors { message } } }`,
      { input: { id: member.id, expectedVersion: member.version, homeTown: 'Hội An' } },
    );
    const exported = slowExport(server.url, token);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // A request that comes after the signal is not accepted.
    const late = await fetch(`${server.url}/healthz`).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    // The requests that were in flight complete.
    for (const request of [...reads, update]) request.finish();
    const answers = await Promise.all(reads.map((r) => r.answer));
    for (const read of answers) {
      expect(read.status, JSON.stringify(read.body)).toBe(200);
      expect(read.body.data.members.totalCount).toBe(total);
      expect(read.body.data.s.total).toBeGreaterThan(0);
    }
    const updated = await update.answer;
    expect(updated.body.data.updateMember).toEqual({ member: { homeTown: 'Hội An', version: member.version + 1 }, userErrors: [] });
    const csv = await exported;
    expect(csv.status).toBe(200);
    // Complete: the header and one line per member.
    expect(csv.text.trimEnd().split('\r\n')).toHaveLength(total + 1);

    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeLessThan((DRAIN_SECONDS + 5) * 1000);
    expect(alive(pgPid)).toBe(false);
    expect(await portOpen(server.pgPort)).toBe(false);
    // The signal came while requests were being answered, and they finished within the drain.
    const drained = /(\d+) request\(s\) in flight finished in (\d+) ms/.exec(server.output());
    expect(Number(drained?.[1])).toBeGreaterThan(0);
    expect(Number(drained?.[2])).toBeLessThan(DRAIN_SECONDS * 1000);
  });

  it('exits even when its PostgreSQL died under it', async () => {
    const server = await startServer();
    const pgPid = postmasterPid(server.dataDir);
    process.kill(pgPid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const code = await Promise.race([server.exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), (DRAIN_SECONDS + 10) * 1000))]);
    expect(code).toBe(0);
    expect(Date.now() - signalled).toBeLessThan((DRAIN_SECONDS + 5) * 1000);
  });
});
