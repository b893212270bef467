import { setTimeout as delay } from 'node:timers/promises';

/**
 * Counts requests being handled, so a shutdown can wait for their acknowledgements before
 * closing connections.
 */
export class InFlightRequests {
  private count = 0;
  /** Requests started so far, to tell whether any began during a quiet period. */
  private started = 0;
  private idle: Array<() => void> = [];

  /** Marks a request started; call the returned function when it has been answered. */
  start(): () => void {
    this.count++;
    this.started++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
  }

  /**
   * Resolves true once no request has been in flight for `quietMs` (requests already on the
   * wire arrive meanwhile and are answered too), or false after `timeoutMs`.
   */
  async settled(timeoutMs: number, quietMs = 0): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) return this.count === 0;
      if (this.count > 0) {
        await this.nextIdle(left);
        continue;
      }
      const startedBefore = this.started;
      if (quietMs > 0) await delay(Math.min(quietMs, left));
      if (this.count === 0 && this.started === startedBefore) return true;
    }
  }

  private nextIdle(timeoutMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
