import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { codedError } from '../graphql/errors';

/**
 * Password guessing limits for `login`, per username and per client address. A refused attempt
 * is answered RATE_LIMITED without checking the password, so it changes nothing and tells nothing.
 */
export class LoginLimiter {
  /** Failed attempts on one username before it is locked for 15 minutes. */
  private readonly byUsername: RateLimiterMemory;
  /** Attempts from one address per minute, whatever the username. */
  private readonly byAddress: RateLimiterMemory;

  constructor(limits: { failuresPerUsername: number; attemptsPerAddressPerMinute: number }) {
    this.byUsername = new RateLimiterMemory({ points: limits.failuresPerUsername, duration: 15 * 60 });
    this.byAddress = new RateLimiterMemory({ points: limits.attemptsPerAddressPerMinute, duration: 60 });
  }

  /** Counts an attempt from the address; throws RATE_LIMITED when the address or the username is locked. */
  async admit(username: string, address: string): Promise<void> {
    const key = username.trim().toLowerCase();
    try {
      await this.byAddress.consume(address);
    } catch (error) {
      throw limited(error);
    }
    const locked = await this.byUsername.get(key);
    if (locked && locked.remainingPoints <= 0) throw limited(locked);
  }

  /** Counts a failed attempt against the username. */
  async failed(username: string): Promise<void> {
    await this.byUsername.consume(username.trim().toLowerCase()).catch(() => undefined);
  }

  /** A successful login clears the username's failures. */
  async succeeded(username: string): Promise<void> {
    await this.byUsername.delete(username.trim().toLowerCase());
  }
}

function limited(error: unknown) {
  const retryAfter = error instanceof RateLimiterRes ? Math.ceil(error.msBeforeNext / 1000) : undefined;
  return codedError('RATE_LIMITED', `Too many login attempts; try again${retryAfter ? ` in ${retryAfter} s` : ' later'}.`, {
    retryAfterSeconds: retryAfter,
  });
}
