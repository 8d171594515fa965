import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/graphql/limits';
import { startTestApp, type TestApp } from './support/app';

/** One test per graphql-cop check (and the OWASP GraphQL cheat sheet), against production mode. */
describe('abuse limits (production mode)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
    token = await t.login('admin');
  });
  afterAll(() => t.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
      body: JSON.stringify(body),
    });
  const codes = (json: any): string[] => (json.errors ?? []).map((e: any) => e.extensions?.code);

  it('introspection is off', async () => {
    const json: any = await (await post({ query: '{ __schema { types { name } } }' })).json();
    expect(json.data).toBeUndefined();
    expect(JSON.stringify(json)).not.toContain('"types"');
    expect(codes(json)).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('GraphiQL is not served; `/` is the staff application, not GraphiQL', async () => {
    expect((await fetch(`${t.url}/graphiql`)).status).toBe(404);
    expect((await fetch(`${t.url}/graphiql/graphiql.js`)).status).toBe(404);
    const page = await fetch(`${t.url}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toContain('graphiql');
  });

  it('field suggestions ("Did you mean") are not given', async () => {
    const json: any = await (await post({ query: '{ membr { totalCount } }' })).json();
    expect(json.errors.length).toBeGreaterThan(0);
    expect(JSON.stringify(json)).not.toMatch(/Did you mean/i);
  });

  it(`aliases beyond ${LIMITS.maxAliases} are refused (alias overloading)`, async () => {
    const query = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const response = await post({ query });
    const json: any = await response.json();
    expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
    expect(json.data).toBeUndefined();
  });

  it(`the same field repeated beyond ${LIMITS.maxFieldRepeats} times is refused (field duplication)`, async () => {
    const query = `{ me { ${'username '.repeat(500)} } }`;
    const json: any = await (await post({ query })).json();
    expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
  });

  it(`directives beyond ${LIMITS.maxDirectives} are refused (directive overloading)`, async () => {
    const query = `{ me { username ${'@include(if: true) '.repeat(50)} } }`;
    const json: any = await (await post({ query })).json();
    expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
  });

  it(`nesting deeper than ${LIMITS.maxDepth} is refused (circular query)`, async () => {
    let selection = 'id';
    for (let i = 0; i < 15; i++) selection = `parent { ${selection} }`;
    const json: any = await (await post({ query: `{ me { unit { ${selection} } } }` })).json();
    expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
  });

  it(`more than ${LIMITS.maxTokens} tokens are refused`, async () => {
    const query = `{ me { id } ${'__typename '.repeat(LIMITS.maxTokens)} }`;
    const json: any = await (await post({ query })).json();
    expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
  });

  it('connections cost by `first`: 100 × 100 nested members is refused, a normal page is not', async () => {
    const heavy = `{ units(first: 100) { edges { node { members(first: 100) { edges { node { id unit { name } } } } } } } }`;
    const refused: any = await (await post({ query: heavy })).json();
    expect(codes(refused)).toContain('QUERY_TOO_COMPLEX');
    const normal: any = await (await post({ query: `{ members(first: 100) { edges { node { id fullName unit { name } } } } }` })).json();
    expect(normal.errors).toBeUndefined();
  });

  it('the cost of one query text follows its variables: the same text is refused when `first` or a directive makes it heavy', async () => {
    const query = `query Nested($units: Int, $members: Int, $withMembers: Boolean!) {
      units(first: $units) { edges { node { id members(first: $members) @include(if: $withMembers) { edges { node { id unit { name } } } } } } }
    }`;
    const light: any = await (await post({ query, variables: { units: 2, members: 2, withMembers: true } })).json();
    expect(light.errors).toBeUndefined();
    const heavy: any = await (await post({ query, variables: { units: 100, members: 100, withMembers: true } })).json();
    expect(codes(heavy)).toContain('QUERY_TOO_COMPLEX');
    const skipped: any = await (await post({ query, variables: { units: 100, members: 100, withMembers: false } })).json();
    expect(skipped.errors).toBeUndefined();
    expect(codes(await (await post({ query, variables: { units: 100, members: 100, withMembers: true } })).json())).toContain('QUERY_TOO_COMPLEX');
  });

  it('a variable left out is not taken for one sent as null, whatever its name (`$constructor` is no property of the variables)', async () => {
    const query = `query Defaulted($constructor: Int = 100) {
      units(first: $constructor) { edges { node { id members(first: $constructor) { edges { node { id unit { name } } } } } } }
    }`;
    const asNull: any = await (await post({ query, variables: { constructor: null } })).json();
    expect(codes(asNull)).not.toContain('QUERY_TOO_COMPLEX');
    const leftOut: any = await (await post({ query, variables: {} })).json();
    expect(codes(leftOut)).toContain('QUERY_TOO_COMPLEX');
  });

  it(`batches of more than ${LIMITS.maxBatch} operations are refused (array batching)`, async () => {
    const response = await post(Array.from({ length: 10 }, () => ({ query: '{ me { id } }' })));
    expect(response.status).toBe(400);
    expect(codes(await response.json())).toContain('BAD_REQUEST');
    const small = await post(Array.from({ length: 2 }, () => ({ query: '{ me { id } }' })));
    expect(small.status).toBe(200);
    expect(await small.json()).toHaveLength(2);
  });

  it('login is never batched', async () => {
    const login = { query: 'mutation { login(input: {username: "admin", password: "x"}) { token } }' };
    const response = await post([login, login]);
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('login cannot be batched');
  });

  it('a GET query without a preflight header is refused (CSRF)', async () => {
    const response = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ me { id } }')}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(400);
  });

  it('a GET mutation is refused', async () => {
    const query = encodeURIComponent('mutation { revokeApiKey(input: {id: "1"}) { userErrors { message } } }');
    const response = await fetch(`${t.url}/graphql?query=${query}`, {
      headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
  });

  it('a url-encoded POST is refused (CSRF)', async () => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
      body: `query=${encodeURIComponent('{ me { id } }')}`,
    });
    expect(response.status).toBe(400);
  });

  it('no stack traces, no tracing extensions', async () => {
    const json: any = await (
      await post({ query: '{ member(id: "1", partyCardNumber: "2") { id } }', extensions: { tracing: true } })
    ).json();
    expect(codes(json)).toContain('BAD_USER_INPUT');
    const text = JSON.stringify(json);
    expect(text).not.toMatch(/stacktrace|exception|tracing/i);
  });
});

describe('login rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ HOSO_LOGIN_FAILURES_PER_USERNAME: '3', HOSO_LOGIN_ATTEMPTS_PER_ADDRESS: '8' });
  });
  afterAll(() => t.close());

  const LOGIN = `mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code } } }`;

  it('locks a username after repeated failures, even for the right password, and says RATE_LIMITED', async () => {
    for (let i = 0; i < 3; i++) {
      const wrong = await t.gql(LOGIN, { u: 'haichau', p: 'wrong' });
      expect(wrong.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
    }
    const locked = await t.gql(LOGIN, { u: 'haichau', p: 'hoso-demo' });
    expect(locked.errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    expect(locked.data?.login ?? null).toBeNull();
    // Other usernames are not locked by it.
    const other = await t.gql(LOGIN, { u: 'thachthang', p: 'hoso-demo' });
    expect(other.data.login.token).toBeTruthy();
  });

  it('limits attempts per client address whatever the username', async () => {
    let limited = 0;
    for (let i = 0; i < 8; i++) {
      const result = await t.gql(LOGIN, { u: `nobody${i}`, p: 'x' });
      if (result.errors?.[0].extensions?.code === 'RATE_LIMITED') limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});

describe('bad variables', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a variable of the wrong shape is BAD_USER_INPUT with its message, not an internal error', async () => {
    const token = await t.login('admin');
    const result = await t.gql(`query($f: MemberFilter) { members(filter: $f) { totalCount } }`, { f: { nope: 1 } }, token);
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0].message).toContain('nope');
  });
});
