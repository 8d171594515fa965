import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Client } from 'pg';
import { ownerQuery } from './support/db';
import { startTestApp, type TestApp } from './support/app';

/** Starts an export and leaves as soon as the first bytes arrive, the way a closed browser tab does. */
function abortedExport(url: string, token: string, file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${url}/exports/${file}`, { headers: { authorization: `Bearer ${token}` } }, (response) => {
      response.once('data', () => {
        request.destroy();
        resolve(response.statusCode ?? 0);
      });
      response.once('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
  });
}

/** Resolves with the response, or rejects when the server does not answer within `ms`. */
async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a client that leaves an export, and the pool', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    // A small pool: four leaked connections would be enough to stop the server.
    t = await startTestApp({ HOSO_POOL_SIZE: '4' });
    admin = await t.login('admin');
  });
  afterAll(() => t.close());

  it('ten aborted CSV and XLSX exports leave no connection behind: health, queries and login still answer', async () => {
    for (let i = 0; i < 10; i++) {
      // The server notices a client has left at its next batch; until then the export's place in
      // the pool is taken (503), and then it is free again.
      let status = 503;
      for (let tries = 0; tries < 50 && status === 503; tries++) {
        status = await abortedExport(t.url, admin, i % 2 ? 'members.xlsx' : 'members.csv');
        if (status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(status).toBe(200);
    }
    expect((await within(5000, fetch(`${t.url}/healthz`))).status).toBe(200);
    const me = await within(5000, t.gql('{ me { username } }', {}, admin));
    expect(me.data.me.username).toBe('admin');
    expect(await within(5000, t.login('reporter'))).toMatch(/\./);
  });

  for (const file of ['members.csv', 'members.xlsx']) {
    it(`an aborted ${file} is recorded as incomplete, with the rows that were sent, and leaves nothing in flight`, async () => {
      const [{ n: members }] = await ownerQuery<{ n: number }>(t.db, `select count(*)::int n from member`);
      const requestId = `aborted-${file}-${Date.now()}`;
      // The client takes the first bytes and leaves: at once (CSV), or after a moment without
      // reading (XLSX: the server has then zipped the rows and is handing over the file's end).
      await new Promise<void>((resolve) => {
        const request = http.get(`${t.url}/exports/${file}`, { headers: { authorization: `Bearer ${admin}`, 'x-request-id': requestId } }, (response) => {
          response.once('data', () => {
            response.pause();
            setTimeout(() => {
              request.destroy();
              resolve();
            }, file.endsWith('.xlsx') ? 1000 : 0);
          });
        });
        request.on('error', () => undefined);
      });
      // The event is written when the server notices, at its next batch.
      let events: { changes: { complete: boolean; rows: number } }[] = [];
      for (let i = 0; i < 50 && !events.length; i++) {
        events = await ownerQuery(t.db, `select changes from audit_event where action = 'EXPORT' and request_id = $1`, [requestId]);
        if (!events.length) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(events).toHaveLength(1);
      expect(events[0].changes.complete).toBe(false);
      expect(events[0].changes.rows).toBeGreaterThanOrEqual(0);
      expect(events[0].changes.rows).toBeLessThanOrEqual(members);
      // The request is over on the server's side (a stopping server would not wait for it)…
      for (let i = 0; i < 50 && t.app.inFlight() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(t.app.inFlight()).toBe(0);
      // …and its transaction ended: no session of the API is left idle in a transaction.
      const idle = await ownerQuery<{ n: number }>(
        t.db,
        `select count(*)::int n from pg_stat_activity where usename = 'hoso_api' and datname = current_database() and state = 'idle in transaction'`,
      );
      expect(idle[0].n).toBe(0);
    });
  }

  it('exports hold at most their share of the pool: a third one at once is refused 503 with Retry-After, other requests go on', async () => {
    // Two exports whose clients do not read keep their connections (the lane of a pool of 4 is 1).
    const held: http.ClientRequest[] = [];
    const first = await new Promise<number>((resolve) => {
      const request = http.get(`${t.url}/exports/members.csv`, { headers: { authorization: `Bearer ${admin}` } }, (response) => {
        response.pause();
        resolve(response.statusCode ?? 0);
      });
      held.push(request);
    });
    expect(first).toBe(200);
    const refused = await fetch(`${t.url}/exports/members.csv`, { headers: { authorization: `Bearer ${admin}` } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(((await refused.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    const me = await within(5000, t.gql('{ me { username } }', {}, admin));
    expect(me.data.me.username).toBe('admin');
    for (const request of held) request.destroy();
    // Once the slow client has gone, exports are served again.
    let again = 0;
    for (let i = 0; i < 50 && again !== 200; i++) {
      const response = await fetch(`${t.url}/exports/members.csv?status=OFFICIAL`, { headers: { authorization: `Bearer ${admin}` } });
      again = response.status;
      await response.arrayBuffer();
      if (again !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(again).toBe(200);
  });

  it('a NUL byte in an export parameter is BAD_USER_INPUT naming it, not a cut or truncated file', async () => {
    for (const file of ['members.csv', 'members.xlsx', 'statistics.xlsx']) {
      const response = await fetch(`${t.url}/exports/${file}?search=Nguy%00n&asOf=2020-01-01%00`, { headers: { authorization: `Bearer ${admin}` } });
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'search' });
    }
  });

  it('the API role carries server-side statement and idle-in-transaction timeouts', async () => {
    const client = new Client({ connectionString: t.db.apiUrl });
    await client.connect();
    try {
      const { rows } = await client.query(`select current_setting('statement_timeout') s, current_setting('idle_in_transaction_session_timeout') i`);
      expect(rows[0]).toEqual({ s: '30s', i: '1min' });
    } finally {
      await client.end();
    }
  });

  it('a body over the limit is answered 413 with a coded JSON body, not a reset connection', async () => {
    const body = JSON.stringify({ query: `{ me { username } }`, variables: { pad: 'x'.repeat(1_500_000) } });
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(`${t.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` } }, (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("a client that sends a 6 MB body whole before reading still gets the 413, not a reset", { timeout: 20_000 }, async () => {
    const size = 6_000_000;
    const socket = net.connect(Number(new URL(t.url).port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const closed = new Promise<string | null>((resolve) => {
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      socket.on('close', () => resolve(null));
    });
    const head = `POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`;
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let sent = 0; sent < size; sent += chunk.length) {
      const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
      if (!socket.write(part)) await new Promise((resolve) => socket.once('drain', resolve));
    }
    socket.end();
    expect(await closed).toBeNull();
    expect(answer).toMatch(/^HTTP\/1.1 413/);
    expect(answer).toContain('PAYLOAD_TOO_LARGE');
  });
});

/** A TCP proxy in front of PostgreSQL that can be cut and restored: a database outage, for real. */
async function outageProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host); // read at each connection: set once the database exists
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    get port() {
      return port;
    },
    async cut() {
      const closed = new Promise<void>((resolve) => server!.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    restore: open,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}

describe('during a database outage', () => {
  let t: TestApp;
  let proxy: Awaited<ReturnType<typeof outageProxy>>;
  const lines: { message: string; error?: unknown }[] = [];
  beforeAll(async () => {
    const target = { host: '127.0.0.1', port: 0 };
    proxy = await outageProxy(target);
    t = await startTestApp(
      {},
      {
        apiUrl: (url) => {
          const parsed = new URL(url);
          Object.assign(target, { host: parsed.hostname, port: Number(parsed.port) });
          parsed.port = String(proxy.port);
          return parsed.toString();
        },
        log: (message, error) => lines.push({ message, error }),
      },
    );
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.close();
  });

  it('answers 503 SERVICE_UNAVAILABLE with Retry-After, logs the outage once and one line per refusal, and recovers', async () => {
    const admin = await t.login('admin');
    await proxy.cut();
    lines.length = 0;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ query: '{ me { username } }' }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect((await fetch(`${t.url}/healthz`)).status).toBe(503);
    expect(lines.filter((l) => l.message.startsWith('database unavailable'))).toHaveLength(1);
    expect(lines.filter((l) => /refused: database unavailable/.test(l.message))).toHaveLength(3);
    // One line each: no stack traces.
    expect(lines.filter((l) => l.error !== undefined).map((l) => l.message)).toEqual([]);

    await proxy.restore();
    let health = 0;
    for (let i = 0; i < 50 && health !== 200; i++) {
      health = (await fetch(`${t.url}/healthz`)).status;
      if (health !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(health).toBe(200);
    const me = await t.gql('{ me { username } }', {}, admin);
    expect(me.data.me.username).toBe('admin');
    expect(lines.some((l) => l.message === 'database available again')).toBe(true);
  });
});

describe('a statement stopped by the API role\'s statement_timeout', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('is answered 503 SERVICE_UNAVAILABLE, not a 500', async () => {
    t = await startTestApp();
    const admin = await t.login('admin');
    // For this test's database only, every statement of the API role runs out of time at once.
    const superuser = new Client({ connectionString: inject('db').superUrl });
    await superuser.connect();
    await superuser.query(`alter role hoso_api in database "${t.db.name}" set statement_timeout = '1ms'`);
    await superuser.query(`select pg_terminate_backend(pid) from pg_stat_activity where usename = 'hoso_api' and datname = $1`, [t.db.name]);
    await superuser.end();
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ members(first: 100) { totalCount } }' }),
    });
    const body = (await response.json()) as any;
    expect(body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // 503 when the first statement ran out of time; a GraphQL answer (200, the field null with the
    // coded error) when a later one did.
    expect([200, 503]).toContain(response.status);
    expect(body.errors[0].message).toMatch(/took too long/);
  });
});
