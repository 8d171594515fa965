import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printAppSchema } from '../src/app/schema';
import { startTestApp, type TestApp } from './support/app';

describe('the HTTP surface', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('GET /healthz answers 200 when the database answers', async () => {
    const response = await fetch(`${t.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the GraphiQL page and every script it loads itself, with no external URL', async () => {
    const page = await fetch(`${t.url}/graphiql`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources.length).toBeGreaterThanOrEqual(4);
    for (const source of sources) {
      expect(source.startsWith('/')).toBe(true);
      const asset = await fetch(`${t.url}${source}`);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(100);
    }
  });

  it('a POST with a simple content type is refused (CSRF prevention) without running it', async () => {
    const admin = await t.login('admin');
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).not.toContain('"me"');
  });

  it('schema.graphql is what the code builds (regenerate with `npm run schema`)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(committed).toBe(printAppSchema());
  });
});
