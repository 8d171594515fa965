import { createSecretKey, type KeyObject } from 'node:crypto';
import { SignJWT, jwtVerify, errors } from 'jose';
// Account ids are bigint ids like any record's: a longer `sub` is refused, not sent to the database.
import { isId } from '../graphql/ids';

const ISSUER = 'hoso';
const AUDIENCE = 'hoso-api';

/** Signs and checks login tokens (HS256 JWT). The token names the account; its rights are read per request. */
export class TokenService {
  /** The secret as a key object made once: given raw bytes, jose would import them on every request. */
  private readonly key: KeyObject;

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = createSecretKey(new TextEncoder().encode(secret));
  }

  async sign(accountId: string): Promise<{ token: string; expiresAt: Date }> {
    const now = Math.floor(Date.now() / 1000);
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
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'sub'],
      });
      return isId(payload.sub) ? payload.sub : null;
    } catch (error) {
      if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
      throw error;
    }
  }
}
