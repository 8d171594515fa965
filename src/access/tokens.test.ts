import { describe, expect, it } from 'vitest';
import { TokenService } from './tokens';

const SECRET = 'a secret long enough for HS256 signing in tests';

/** A service whose clock the test moves. */
function serviceAt(start: number, ttlSeconds = 60) {
  const clock = { now: start };
  return { clock, tokens: new TokenService(SECRET, ttlSeconds, () => clock.now) };
}

describe('login tokens', () => {
  it('names the account until the token expires, also when it was checked before', async () => {
    const { clock, tokens } = serviceAt(Date.UTC(2026, 10, 30, 8));
    const { token, expiresAt } = await tokens.sign('42');
    expect(await tokens.verify(token)).toBe('42');
    clock.now = expiresAt.getTime() - 1;
    expect(await tokens.verify(token)).toBe('42');
    clock.now = expiresAt.getTime();
    expect(await tokens.verify(token)).toBeNull();
    // Still refused on the next use, whether remembered or checked again.
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses an expired token never seen before', async () => {
    const { clock, tokens } = serviceAt(Date.UTC(2026, 10, 30, 8));
    const { token, expiresAt } = await tokens.sign('42');
    clock.now = expiresAt.getTime() + 1000;
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token whose signature or claims were changed, after the true one was accepted', async () => {
    const { tokens } = serviceAt(Date.now());
    const { token } = await tokens.sign('42');
    expect(await tokens.verify(token)).toBe('42');
    const [header, payload, signature] = token.split('.');
    const forgedSignature = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await tokens.verify(forgedSignature)).toBeNull();
    const otherPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: '43' })).toString('base64url');
    expect(await tokens.verify(`${header}.${otherPayload}.${signature}`)).toBeNull();
  });

  it('refuses a token signed with another secret', async () => {
    const { token } = await new TokenService('another secret, just as long as the first one', 60).sign('42');
    expect(await serviceAt(Date.now()).tokens.verify(token)).toBeNull();
  });
});
