/**
 * The API's connection pool is shared by every request, and each request holds one connection
 * for its whole transaction. A kind of request that holds connections long (an export streamed
 * to a slow client) or that anyone can send in bulk (anonymous `login`, which hashes a password
 * inside its transaction) could take every connection and stop everything else, `/healthz`
 * included. A lane caps how many connections one such kind may hold at once. A request that
 * finds its lane full waits for a place for at most `waitMs` (0 for exports: they are long, the
 * client had better retry) with at most `maxWaiting` others, and is otherwise refused (503 with
 * Retry-After). Signed-in GraphQL requests have no lane: they are short, and the pool's acquire
 * timeout bounds their wait.
 */
export class Lane {
  private active = 0;
  private readonly waiting: ((release: (() => void) | null) => void)[] = [];

  constructor(
    readonly name: string,
    readonly capacity: number,
    private readonly waitMs = 0,
    private readonly maxWaiting = 0,
  ) {}

  /** A release function once a place is free, or null when none came in time. */
  async enter(): Promise<(() => void) | null> {
    if (this.active < this.capacity) return this.take();
    if (this.waiting.length >= this.maxWaiting || this.waitMs <= 0) return null;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const index = this.waiting.indexOf(handOver);
        if (index >= 0) this.waiting.splice(index, 1);
        resolve(null);
      }, this.waitMs);
      const handOver = (release: (() => void) | null) => {
        clearTimeout(timer);
        resolve(release);
      };
      this.waiting.push(handOver);
    });
  }

  private take(): () => void {
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      // The place goes to the longest waiting request, if any.
      const next = this.waiting.shift();
      if (next) next(this.take());
    };
  }

  get inUse(): number {
    return this.active;
  }
}

export interface Lanes {
  exports: Lane;
  anonymous: Lane;
}

/**
 * With the default pool of 10: 2 exports and 5 anonymous requests at most at a time, so at least
 * 3 connections always remain for signed-in requests and health checks. Anonymous requests queue
 * (up to 200, for 10 s) rather than being refused at the first burst.
 */
export function lanesFor(poolSize: number): Lanes {
  return {
    exports: new Lane('exports', Math.max(1, Math.floor(poolSize / 4))),
    anonymous: new Lane('anonymous', Math.max(1, Math.floor(poolSize / 2)), 10_000, 200),
  };
}
