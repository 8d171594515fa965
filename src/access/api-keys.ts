import crypto from 'node:crypto';
import { ID_DIGITS } from '../graphql/ids';

/**
 * API keys for reporting tools: `hoso_<id>_<secret>`. The secret has 256 random bits, so a
 * plain SHA-256 is a sound stored form (no password-style stretching needed) and the key can be
 * checked on every request cheaply. The whole key is shown once, at creation.
 */
const PREFIX = 'hoso_';

export function isApiKey(token: string): boolean {
  return token.startsWith(PREFIX);
}

export function newApiKeySecret(): string {
  return crypto.randomBytes(32).toString('base64url');
}

export function hashApiKeySecret(secret: string): string {
  return crypto.createHash('sha256').update(secret).digest('hex');
}

export function formatApiKey(id: string, secret: string): string {
  return `${PREFIX}${id}_${secret}`;
}

/** hoso_<id>_<secret>: the id as any record id (src/graphql/ids.ts), the secret 32 bytes in base64url. */
const API_KEY = new RegExp(`^${PREFIX}(${ID_DIGITS})_([A-Za-z0-9_-]{43})$`);

/** The id and secret of a well-formed key, or null. */
export function parseApiKey(token: string): { id: string; secret: string } | null {
  const match = API_KEY.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}
