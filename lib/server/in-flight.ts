/**
 * Counts requests being handled, so a shutdown can wait for their acknowledgements before
 * closing connections, and refuses new ones once the shutdown has begun.
 */
export class InFlightRequests {
  private count = 0;
  private refusing = false;
  private idle: Array<() => void> = [];

  /**
   * Marks a request started and returns the function to call once it has been answered; or
   * returns null when requests are being refused (the server is stopping).
   */
  start(): (() => void) | null {
    if (this.refusing) return null;
    this.count++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
  }

  /** From now on `start` refuses; requests already started still finish. */
  refuseNew(): void {
    this.refusing = true;
  }

  /** Resolves true once no request is in flight, or false after `timeoutMs`. */
  settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(this.count === 0), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
