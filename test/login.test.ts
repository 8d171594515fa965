import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_JWT_SECRET, type TestApp } from './support/app';

const LOGIN = `mutation($input: LoginInput!) {
  login(input: $input) { token expiresAt account { username role unit { code } } userErrors { field message code } }
}`;

async function token(claims: { sub: string; exp: number; secret?: string; iss?: string; aud?: string }) {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(claims.iss ?? 'hoso')
    .setAudience(claims.aud ?? 'hoso-api')
    .setIssuedAt()
    .setExpirationTime(claims.exp)
    .sign(new TextEncoder().encode(claims.secret ?? TEST_JWT_SECRET));
}

describe('login and tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('a demo account gets a token that works for `me`', async () => {
    const result = await t.gql(LOGIN, { input: { username: 'haichau', password: 'hoso-demo' } });
    expect(result.data.login.userErrors).toEqual([]);
    expect(result.data.login.account).toEqual({ username: 'haichau', role: 'ORG_STAFF', unit: { code: 'DN.HAICHAU' } });
    expect(new Date(result.data.login.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const me = await t.gql(`{ me { username role unit { code } } }`, {}, result.data.login.token);
    expect(me.data.me).toEqual({ username: 'haichau', role: 'ORG_STAFF', unit: { code: 'DN.HAICHAU' } });
  });

  it('usernames are case-insensitive', async () => {
    const result = await t.gql(LOGIN, { input: { username: ' ThachThang ', password: 'hoso-demo' } });
    expect(result.data.login.account.username).toBe('thachthang');
  });

  it('a wrong password is a user error and gives no token', async () => {
    const result = await t.gql(LOGIN, { input: { username: 'admin', password: 'wrong' } });
    expect(result.errors).toBeUndefined();
    expect(result.data.login.token).toBeNull();
    expect(result.data.login.account).toBeNull();
    expect(result.data.login.userErrors).toEqual([
      { field: ['input', 'password'], message: 'Wrong username or password.', code: 'INVALID_CREDENTIALS' },
    ]);
  });

  it('an unknown username gets the same answer as a wrong password', async () => {
    const unknown = await t.gql(LOGIN, { input: { username: 'nobody', password: 'hoso-demo' } });
    const wrong = await t.gql(LOGIN, { input: { username: 'admin', password: 'wrong' } });
    expect(unknown.data).toEqual(wrong.data);
  });

  it('an expired token is UNAUTHENTICATED', async () => {
    const expired = await token({ sub: '1', exp: Math.floor(Date.now() / 1000) - 60 });
    const result = await t.gql(`{ me { id } }`, {}, expired);
    expect(result.status).toBe(401);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a token signed with another secret is UNAUTHENTICATED', async () => {
    const forged = await token({ sub: '1', exp: Math.floor(Date.now() / 1000) + 3600, secret: 'another-secret-another-secret-another!!' });
    const result = await t.gql(`{ me { id } }`, {}, forged);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a token with a tampered payload is UNAUTHENTICATED', async () => {
    const real = await t.login('thachthang');
    const [header, , signature] = real.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: '1', iss: 'hoso', aud: 'hoso-api', exp: 4102444800 })).toString('base64url');
    const result = await t.gql(`{ me { id } }`, {}, `${header}.${payload}.${signature}`);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a token for an account that does not exist is UNAUTHENTICATED', async () => {
    const ghost = await token({ sub: '999999', exp: Math.floor(Date.now() / 1000) + 3600 });
    const result = await t.gql(`{ me { id } }`, {}, ghost);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('an "alg: none" token is UNAUTHENTICATED', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: '1', iss: 'hoso', aud: 'hoso-api', exp: 4102444800 })).toString('base64url');
    const result = await t.gql(`{ me { id } }`, {}, `${header}.${payload}.`);
    expect(result.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
