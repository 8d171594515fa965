import { createHash } from 'node:crypto';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../src/graphql/limits';
import { buildAppSchema } from '../src/app/schema';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/app';

/** Follow-ups of a hostile probe of the GraphQL endpoint, against production mode. */
describe('GraphQL hardening (production mode)', () => {
  let t: TestApp;
  let token: string;
  let adminId: string;
  beforeAll(async () => {
    t = await startTestApp({
      NODE_ENV: 'production',
      HOSO_LOGIN_FAILURES_PER_USERNAME: '5',
      // The anonymous lane (half the pool) must let 10 parallel logins reach the limiter under test.
      HOSO_POOL_SIZE: '24',
    });
    token = await t.login('admin');
    adminId = (await t.gql(`{ me { id } }`, {}, token)).data.me.id;
  });
  afterAll(() => t.close());

  const post = async (body: unknown, bearer: string | null = token) => {
    const response = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, json: (await response.json()) as any };
  };
  const codes = (json: any): string[] => (json.errors ?? []).map((e: any) => e.extensions?.code);
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  const LOGIN = `mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) { token userErrors { code } } }`;

  it('a subscription is refused BAD_REQUEST (the API offers none), not an internal error', async () => {
    for (const query of ['subscription { me { username } }', 'subscription { x }']) {
      const { status, json } = await post({ query });
      expect(codes(json)).toEqual([expect.stringMatching(/^(BAD_REQUEST|GRAPHQL_VALIDATION_FAILED)$/)]);
      expect(status).toBe(400);
    }
  });

  describe('login limit under parallel attempts', () => {
    it('10 parallel wrong passwords for one username: at most 5 are checked, the rest RATE_LIMITED; then even the right password is refused', async () => {
      const results = await Promise.all(
        Array.from({ length: 10 }, () => post({ query: LOGIN, variables: { u: 'haichau', p: 'wrong' } }, null)),
      );
      const checked = results.filter((r) => r.json.data?.login?.userErrors?.[0]?.code === 'INVALID_CREDENTIALS').length;
      const limited = results.filter((r) => codes(r.json).includes('RATE_LIMITED')).length;
      expect(checked).toBeLessThanOrEqual(5);
      expect(checked + limited, JSON.stringify(results)).toBe(10);
      const right = await post({ query: LOGIN, variables: { u: 'haichau', p: 'hoso-demo' } }, null);
      expect(codes(right.json)).toEqual(['RATE_LIMITED']);
      expect(right.json.data?.login ?? null).toBeNull();
    });

    it('a successful login gives its attempt back: failures below the limit do not pile up across successes', async () => {
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 4; i++) {
          const wrong = await post({ query: LOGIN, variables: { u: 'thachthang', p: 'wrong' } }, null);
          expect(wrong.json.data.login.userErrors[0].code).toBe('INVALID_CREDENTIALS');
        }
        const right = await post({ query: LOGIN, variables: { u: 'thachthang', p: 'hoso-demo' } }, null);
        expect(right.json.data.login.token).toBeTruthy();
      }
    });
  });

  describe('persisted queries (off)', () => {
    const LOGIN_TEXT = 'mutation { login(input: {username: "admin", password: "x"}) { token } }';
    const byHash = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } });

    it('a batch of logins sent by hash only is refused', async () => {
      const entry = byHash(LOGIN_TEXT);
      const { status, json } = await post([entry, entry, entry], null);
      expect(status).toBe(400);
      expect(codes(json)).toEqual(['BAD_REQUEST']);
      expect(JSON.stringify(json)).not.toContain('"token"');
    });

    it('a batch of logins with query text and hash is refused as any login batch', async () => {
      const entry = { query: LOGIN_TEXT, ...byHash(LOGIN_TEXT) };
      const { status, json } = await post([entry, entry], null);
      expect(status).toBe(400);
      expect(JSON.stringify(json)).toContain('login cannot be batched');
    });

    it('a single request by hash is PERSISTED_QUERY_NOT_SUPPORTED, not a 500', async () => {
      const { status, json } = await post(byHash('{ me { id } }'));
      expect(status).toBeLessThan(500);
      expect(codes(json)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    });

    it('a hash that does not match the query text gets a coded refusal, not INTERNAL_SERVER_ERROR', async () => {
      const { status, json } = await post({
        query: '{ me { id } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ me { username } }') } },
      });
      expect(status).toBeLessThan(500);
      expect(codes(json)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
    });

    it('registering a query with its right hash does not run it either', async () => {
      const query = '{ me { id } }';
      const { json } = await post({ query, ...byHash(query) });
      expect(codes(json)).toEqual(['PERSISTED_QUERY_NOT_SUPPORTED']);
      expect(json.data).toBeUndefined();
    });
  });

  describe('tokens', () => {
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = () => Math.floor(Date.now() / 1000);
    const sign = (claims: { sub?: string; iat?: boolean; exp?: boolean }) => {
      let jwt = new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('hoso').setAudience('hoso-api');
      if (claims.sub !== undefined) jwt = jwt.setSubject(claims.sub);
      if (claims.iat !== false) jwt = jwt.setIssuedAt(now());
      if (claims.exp !== false) jwt = jwt.setExpirationTime(now() + 3600);
      return jwt.sign(secret);
    };
    const me = (bearer: string) => post({ query: '{ me { id } }' }, bearer);

    it('a well-formed token with all claims works (control)', async () => {
      const { status, json } = await me(await sign({ sub: adminId }));
      expect(status).toBe(200);
      expect(json.data.me.id).toBe(adminId);
    });

    it('a token whose sub is beyond bigint is UNAUTHENTICATED, not a 500', async () => {
      for (const sub of ['99999999999999999999', '9223372036854775808', '1'.repeat(40)]) {
        const { status, json } = await me(await sign({ sub }));
        expect(status, sub).toBe(401);
        expect(codes(json), sub).toEqual(['UNAUTHENTICATED']);
      }
    });

    it('a token without exp is UNAUTHENTICATED', async () => {
      const { status, json } = await me(await sign({ sub: adminId, exp: false }));
      expect(status).toBe(401);
      expect(codes(json)).toEqual(['UNAUTHENTICATED']);
    });

    it('a token without iat is UNAUTHENTICATED', async () => {
      const { status, json } = await me(await sign({ sub: adminId, iat: false }));
      expect(status).toBe(401);
      expect(codes(json)).toEqual(['UNAUTHENTICATED']);
    });

    it('a token without sub is UNAUTHENTICATED', async () => {
      const { status, json } = await me(await sign({}));
      expect(status).toBe(401);
      expect(codes(json)).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('error messages name nothing the client did not send', () => {
    let names: Set<string>;
    beforeAll(() => {
      names = schemaNames(buildAppSchema());
    });

    /** Every quoted schema name in every message must be one the client wrote (query or variables). */
    const expectNoHints = (json: any, sent: string) => {
      expect(json.errors?.length ?? 0).toBeGreaterThan(0);
      const words = new Set(sent.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []);
      for (const error of json.errors) {
        expect(error.message).not.toMatch(/did you mean/i);
        const quoted = (error.message.match(/"[^"]*"/g) ?? []).join(' ');
        const leaked = (quoted.match(/[_A-Za-z][_0-9A-Za-z]*/g) ?? []).filter((n: string) => names.has(n) && !words.has(n));
        expect(leaked, error.message).toEqual([]);
      }
    };
    const cases: [string, string, Record<string, unknown>?][] = [
      ['a misspelt enum value', '{ members(filter: { status: [OFFICIALL] }) { totalCount } }'],
      ['a misspelt enum value in a variable', 'query($f: MemberFilter) { members(filter: $f) { totalCount } }', { f: { status: ['OFFICIALL'] } }],
      ['a field of a union without inline fragment', 'mutation { voidSubRecord(input: {id: "1", kind: AWARD, expectedVersion: 1, reason: "x"}) { record { id } } }'],
      ['a misspelt field', '{ me { usernam } }'],
      ['a misspelt root field', '{ membr { totalCount } }'],
      ['a misspelt argument', '{ member(idd: "1") { id } }'],
      ['a misspelt input field', '{ members(filter: { stauts: [OFFICIAL] }) { totalCount } }'],
      ['a misspelt type in a variable', 'query($f: MembrFilter) { members(filter: $f) { totalCount } }'],
      ['a misspelt type in a fragment', '{ me { ... on Acount { id } } }'],
      ['a variable of the wrong type', 'query($s: String) { members(filter: { status: [$s] }) { totalCount } }'],
    ];
    for (const [what, query, variables] of cases) {
      it(`${what}: no suggestion, no schema name`, async () => {
        const { status, json } = await post({ query, variables });
        expect(status).toBeLessThan(500);
        expectNoHints(json, query + JSON.stringify(variables ?? {}));
      });
    }

    it('the message still says what is wrong with what the client sent', async () => {
      const { json } = await post({ query: '{ membr { totalCount } }' });
      expect(json.errors[0].message).toContain('Cannot query field "membr"');
    });
  });

  describe('aliases and directives', () => {
    it('101 aliased __typename are QUERY_TOO_COMPLEX', async () => {
      const query = `{ ${Array.from({ length: 101 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      const { json } = await post({ query });
      expect(codes(json)).toEqual(['QUERY_TOO_COMPLEX']);
      expect(json.data).toBeUndefined();
    });

    it(`aliases in fragments count where they are spread`, async () => {
      const fields = Array.from({ length: 8 }, (_, i) => `f${i}: __typename`).join(' ');
      const query = `query { ...F ... on Query { ...F } } fragment F on Query { ${fields} }`;
      const { json } = await post({ query });
      expect(codes(json)).toContain('QUERY_TOO_COMPLEX');
    });

    it(`${LIMITS.maxAliases} aliases are still fine`, async () => {
      const query = `{ ${Array.from({ length: LIMITS.maxAliases }, (_, i) => `a${i}: __typename`).join(' ')} }`;
      const { json } = await post({ query });
      expect(json.errors).toBeUndefined();
    });

    it('10 repeated unknown directives give exactly one error (directive overloading)', async () => {
      const { json } = await post({ query: `query cop { __typename ${'@aa '.repeat(10)}}` });
      expect(json.errors).toHaveLength(1);
      expect(json.data).toBeUndefined();
    });

    it('50 repeated unknown directives give exactly one error, the limit', async () => {
      const { json } = await post({ query: `query { __typename ${'@aa '.repeat(50)}}` });
      expect(codes(json)).toEqual(['QUERY_TOO_COMPLEX']);
    });

    it('directives outside the operation count too', async () => {
      const { json } = await post({ query: `query { __typename } fragment F on Query ${'@aa '.repeat(50)} { __typename }` });
      expect(codes(json)).toEqual(['QUERY_TOO_COMPLEX']);
    });
  });
});

function schemaNames(schema: GraphQLSchema): Set<string> {
  const names = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isSpecifiedScalarType(type)) continue;
    names.add(type.name);
    if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        names.add(field.name);
        for (const arg of 'args' in field ? field.args : []) names.add(arg.name);
      }
    }
    if (isEnumType(type)) for (const value of type.getValues()) names.add(value.name);
  }
  return names;
}
