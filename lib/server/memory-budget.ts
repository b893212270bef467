/** How often, at most, expired windows are swept out of memory. */
const SWEEP_INTERVAL_MS = 60_000;

interface Window {
  spent: number;
  endsAt: number;
}

/**
 * Fixed windows per key, in a Map; an expired window starts over on use and is swept later.
 * A key's window object is reused from one window to the next: a new object per window would
 * outlive a young-generation collection (windows last seconds) and end up as old-generation
 * garbage, which only the slow full collections reclaim.
 */
class FixedWindows {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly points: number,
    private readonly durationMs: number,
  ) {}

  /** Spends one point; the milliseconds until the window ends when it is overspent. */
  spend(key: string, now: number): number | undefined {
    let window = this.windows.get(key);
    if (window === undefined) {
      window = { spent: 0, endsAt: now + this.durationMs };
      this.windows.set(key, window);
    } else if (window.endsAt <= now) {
      window.spent = 0;
      window.endsAt = now + this.durationMs;
    }
    window.spent++;
    return window.spent > this.points ? window.endsAt - now : undefined;
  }

  get size(): number {
    return this.windows.size;
  }

  sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }
}

/**
 * A budget kept in this process's memory, with the semantics of rate-limiter-flexible's
 * `BurstyRateLimiter` over two `RateLimiterMemory` fixed windows (used with Redis), but
 * without their cost on every request: no promise chain, and no timer per key and window
 * (rate-limiter-flexible arms one each time a window starts, for every session).
 */
export class MemoryBudget {
  private readonly sustained: FixedWindows;
  private readonly burst: FixedWindows;
  private nextSweep: number;

  /**
   * `points` per `durationMs`, plus a burst of `points` more per `burstDurationMs`. The clock
   * is monotonic: a window must not stretch or vanish when the wall clock is set, and
   * `Date.now` is wrapped by Next.js in this process, a context lookup on every request.
   */
  constructor(
    points: number,
    durationMs: number,
    burstDurationMs: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.sustained = new FixedWindows(points, durationMs);
    this.burst = new FixedWindows(points, burstDurationMs);
    this.nextSweep = clock() + SWEEP_INTERVAL_MS;
  }

  /** How many keys hold a window in memory, sustained or burst. */
  get keysHeld(): number {
    return this.sustained.size + this.burst.size;
  }

  /** Spends one unit for `key`: undefined when allowed, else the milliseconds to wait. */
  spend(key: string): number | undefined {
    const now = this.clock();
    if (now >= this.nextSweep) {
      this.nextSweep = now + SWEEP_INTERVAL_MS;
      this.sustained.sweep(now);
      this.burst.sweep(now);
    }
    const sustainedWait = this.sustained.spend(key, now);
    if (sustainedWait === undefined) return undefined;
    // Over the sustained rate: the burst allowance pays, while it lasts.
    const burstWait = this.burst.spend(key, now);
    return burstWait === undefined ? undefined : Math.min(sustainedWait, burstWait);
  }
}
