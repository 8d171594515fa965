import type { Pool } from 'pg';
import { RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { codedError } from '../graphql/errors';

/**
 * Password guessing limits for `login`, per username and per client address. A refused attempt
 * is answered RATE_LIMITED without checking the password, so it changes nothing and tells nothing.
 *
 * An attempt takes its point BEFORE the password is checked and gives it back only when the
 * password was right: attempts running in parallel cannot all slip in while the counter still
 * reads "not locked", so at most `failuresPerUsername` passwords are ever checked per lock period.
 *
 * The counts are kept in PostgreSQL (table login_limit, migration 31) on a small pool of their
 * own, outside the request's transaction: several API instances on one database share them, so a
 * second instance behind the load balancer gives a guesser no fresh attempts, and a restart does
 * not reset them. The store's upsert is atomic, so parallel attempts count one by one.
 */
export class LoginLimiter {
  /** Attempts on one username (refunded when they succeed) before it is locked for 15 minutes. */
  private readonly byUsername: RateLimiterAbstract;
  /** Attempts from one address per minute, whatever the username. */
  private readonly byAddress: RateLimiterAbstract;

  constructor(pool: Pool, limits: { failuresPerUsername: number; attemptsPerAddressPerMinute: number }) {
    const store = { storeClient: pool, storeType: 'pool', tableName: 'login_limit', tableCreated: true, clearExpiredByTimeout: true };
    this.byUsername = new RateLimiterPostgres({ ...store, keyPrefix: 'u', points: limits.failuresPerUsername, duration: 15 * 60 });
    this.byAddress = new RateLimiterPostgres({ ...store, keyPrefix: 'a', points: limits.attemptsPerAddressPerMinute, duration: 60 });
  }

  /**
   * Counts an attempt against the address and the username; throws RATE_LIMITED when either is
   * used up. Until `succeeded` is called the attempt counts as a failure.
   */
  async admit(username: string, address: string): Promise<void> {
    try {
      await this.byAddress.consume(address);
      await this.byUsername.consume(keyOf(username));
    } catch (error) {
      throw limited(error);
    }
  }

  /** The password was right: the username's attempts, this one included, are cleared. */
  async succeeded(username: string): Promise<void> {
    await this.byUsername.delete(keyOf(username));
  }
}

function keyOf(username: string): string {
  return username.trim().toLowerCase();
}

function limited(error: unknown) {
  // Anything but a refusal (RateLimiterRes) is a fault of the limiter itself, not the client's.
  if (!(error instanceof RateLimiterRes)) throw error;
  const retryAfter = Math.ceil(error.msBeforeNext / 1000);
  return codedError('RATE_LIMITED', `Too many login attempts; try again${retryAfter ? ` in ${retryAfter} s` : ' later'}.`, {
    retryAfterSeconds: retryAfter || undefined,
  });
}
