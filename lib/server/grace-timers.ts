import { errorFields, type Logger } from './logger';

/**
 * The grace periods running on this process: one per member whose last tab left a room, and
 * one per new room waiting for its first member. Each runs out after `graceMs` and calls its
 * expiry; an expiry that fails is tried again after another period, unless something re-armed
 * or cancelled the timer meanwhile. What an expiry does is the room lifecycle's business
 * (lib/server/room-lifecycle.ts); this holds only the timers.
 */
export class GraceTimers {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** Starts (or restarts) a member's grace period. */
  startMember(roomId: string, sessionId: string, onExpiry: () => Promise<void>): void {
    this.arm(memberKey(roomId, sessionId), onExpiry);
  }

  /** Stops a member's grace period, if one runs. */
  cancelMember(roomId: string, sessionId: string): void {
    this.disarm(memberKey(roomId, sessionId));
  }

  hasMember(roomId: string, sessionId: string): boolean {
    return this.timers.has(memberKey(roomId, sessionId));
  }

  /** Starts (or restarts) the period a new room has to get its first member. */
  startEmptyRoom(roomId: string, onExpiry: () => Promise<void>): void {
    this.arm(roomKey(roomId), onExpiry);
  }

  hasEmptyRoom(roomId: string): boolean {
    return this.timers.has(roomKey(roomId));
  }

  /** Stops every timer for good (shutdown). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(key: string, onExpiry: () => Promise<void>): void {
    if (this.closed) return;
    this.disarm(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      onExpiry().catch((error: unknown) => {
        // A store or adapter hiccup must not hold the member (or the room) forever.
        this.logger.error({ key, ...errorFields(error) }, 'grace period expiry failed');
        if (!this.closed && !this.timers.has(key)) this.arm(key, onExpiry);
      });
    }, this.graceMs);
    timer.unref();
    this.timers.set(key, timer);
  }

  private disarm(key: string): void {
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
  }
}

function memberKey(roomId: string, sessionId: string): string {
  return `member\n${roomId}\n${sessionId}`;
}

function roomKey(roomId: string): string {
  return `room\n${roomId}`;
}
