/** Without a key, a click, a scroll or a touch for this long, a tab counts as idle. */
export const IDLE_AFTER_MS = 5 * 60_000;

/** Whether a tab is idle: hidden, or untouched for `IDLE_AFTER_MS`. */
export function tabIsIdle(tab: {
  hidden: boolean;
  lastActivityMs: number;
  nowMs: number;
}): boolean {
  return tab.hidden || tab.nowMs - tab.lastActivityMs >= IDLE_AFTER_MS;
}
