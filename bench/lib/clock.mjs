/**
 * The one clock of the harness: CLOCK_MONOTONIC through `process.hrtime()`, in microseconds.
 * On Linux, libuv reads CLOCK_MONOTONIC, which is one clock for the whole machine, so a time
 * taken in one process can be compared with a time taken in another (the harness checks this
 * at start-up, see `checkSharedClock` in run.mjs). `performance.timeOrigin` is not used: it is
 * wall-clock based and differs between processes.
 */
export function nowUs() {
  const t = process.hrtime();
  return t[0] * 1e6 + t[1] / 1e3;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves at (or just after) a given `nowUs()` instant. */
export function sleepUntil(us) {
  return sleep(Math.max(0, (us - nowUs()) / 1000));
}
