/** How often "still typing" is repeated while someone keeps typing. */
export const TYPING_REPEAT_MS = 2_000;
/** After this long without a keystroke, typing counts as stopped. */
export const TYPING_IDLE_MS = 5_000;
/** How long a received "typing" lasts without being repeated (covers a lost "stopped"). */
export const TYPING_SHOWN_MS = TYPING_REPEAT_MS * 3;

/** What the signal needs: a way to tell the server, a clock and a timer. */
export interface TypingSignalDeps {
  send(typing: boolean): void;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

/**
 * Turns keystrokes into typing signals: "typing" at once and then at most every
 * `TYPING_REPEAT_MS` while keys keep coming, "stopped" on send, on blur, or after
 * `TYPING_IDLE_MS` without a key.
 */
export class TypingSignal {
  private typing = false;
  private lastSentAt = -Infinity;
  private idleTimer: unknown;
  private readonly now: () => number;
  private readonly setTimer: (run: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;

  constructor(private readonly deps: TypingSignalDeps) {
    this.now = deps.now ?? (() => Date.now());
    this.setTimer = deps.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = deps.clearTimer ?? ((timer) => clearTimeout(timer as NodeJS.Timeout));
  }

  /** A key was typed (the text is not empty). */
  input(): void {
    const now = this.now();
    if (!this.typing || now - this.lastSentAt >= TYPING_REPEAT_MS) {
      this.typing = true;
      this.lastSentAt = now;
      this.deps.send(true);
    }
    this.clearTimer(this.idleTimer);
    this.idleTimer = this.setTimer(() => this.stop(), TYPING_IDLE_MS);
  }

  /** The message was sent, the box emptied or left: no longer typing. */
  stop(): void {
    this.clearTimer(this.idleTimer);
    this.idleTimer = undefined;
    if (!this.typing) return;
    this.typing = false;
    this.deps.send(false);
  }
}
