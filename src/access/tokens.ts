import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
// Account ids are bigint ids like any record's: a longer `sub` is refused, not sent to the database.
import { isId } from '../graphql/ids';
import { BoundedMap } from '../graphql/bounded-map';

const ISSUER = 'hoso';
const AUDIENCE = 'hoso-api';
/** Checked tokens remembered: one per signed-in person of a large department, and then some. */
const CHECKED_TOKENS = 10_000;

/** Signs and checks login tokens (HS256 JWT). The token names the account; its rights are read per request. */
export class TokenService {
  /** The secret as a key object made once: given raw bytes, jose would import them on every request. */
  private readonly key: KeyObject;

  /**
   * Tokens already checked, by their whole text (signature included), with the account and the
   * expiry they carry: jose checks the HMAC through WebCrypto, which cost 8 % of a member read.
   * A hit is the same token text, so it says exactly what checking it again would say, except
   * expiry, which is checked on every use. Only tokens that passed go in, so a client sending
   * made-up tokens cannot fill it; the oldest entry leaves when it is full.
   */
  private readonly checked = new BoundedMap<string, { accountId: string; expiresAt: number }>(CHECKED_TOKENS);

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    /** Milliseconds since the epoch; a test passes its own instant. */
    private readonly now: () => number = Date.now,
  ) {
    this.key = createSecretKey(new TextEncoder().encode(secret));
  }

  async sign(accountId: string): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(this.now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((now + this.ttlSeconds) * 1000) };
  }

  /**
   * The account id of a valid token, or null for an expired, forged or malformed one. Every token
   * this service signs has `exp`, `iat` and `sub`; one without them never came from here.
   */
  async verify(token: string): Promise<string | null> {
    const now = this.now();
    const known = this.checked.get(token);
    if (known) {
      if (now < known.expiresAt) return known.accountId;
      this.checked.delete(token);
      return null;
    }
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
        currentDate: new Date(now),
      });
      if (!isId(payload.sub)) return null;
      this.checked.set(token, { accountId: payload.sub, expiresAt: payload.exp! * 1000 });
      return payload.sub;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }
}
