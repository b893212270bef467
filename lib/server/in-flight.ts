/**
 * Counts requests being handled, so a shutdown can wait for their acknowledgements before
 * closing connections.
 */
export class InFlightRequests {
  private count = 0;
  private idle: Array<() => void> = [];

  /** Marks a request started; call the returned function when it has been answered. */
  start(): () => void {
    this.count++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.count--;
      if (this.count === 0) for (const resolve of this.idle.splice(0)) resolve();
    };
  }

  /** Resolves once no request is in flight, or after `timeoutMs`; says which. */
  async settled(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return true;
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.idle.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
