/** Quiet time after a member list went out, per member it held (see `windowMs`). */
const WINDOW_MS_PER_MEMBER = 1;

/** The longest a change to a room's members waits to be sent. */
const MAX_WINDOW_MS = 1000;

/**
 * How long a room's next member list waits after one of `memberCount` members went out. A
 * list of n members goes to n people, so seating a room one join at a time would cost n²:
 * 10⁹ member entries for a room of 1,000. Growing the window with the room bounds that to n
 * per window (a room of 10 waits 10 ms, one of 1,000 a second).
 */
export function memberListWindowMs(memberCount: number): number {
  return Math.min(MAX_WINDOW_MS, memberCount * WINDOW_MS_PER_MEMBER);
}

interface Window {
  again: boolean;
}

/**
 * Spaces out each room's member-list broadcasts. The first change goes out at once; the
 * changes made while its window is open are sent together, once, when it closes, as the list
 * is then. Whoever needs the list in a reply (a join) reads it itself.
 */
export class MemberListThrottle {
  private readonly open = new Map<string, Window>();

  /**
   * @param sendCurrent broadcasts a room's list as it is now, resolving with its length
   * @param onError what to do with a failed broadcast at a window's end (nobody awaits it)
   */
  constructor(
    private readonly sendCurrent: (roomId: string) => Promise<number>,
    private readonly onError: (error: unknown, roomId: string) => void,
  ) {}

  /** A room's members changed: `send` broadcasts now, unless a window is open. */
  async changed(roomId: string, send: () => Promise<number>): Promise<void> {
    const window = this.open.get(roomId);
    if (window) {
      window.again = true;
      return;
    }
    const opened: Window = { again: false };
    this.open.set(roomId, opened);
    let memberCount: number;
    try {
      memberCount = await send();
    } catch (error) {
      this.open.delete(roomId);
      throw error;
    }
    const timer = setTimeout(() => {
      this.open.delete(roomId);
      if (!opened.again) return;
      this.changed(roomId, () => this.sendCurrent(roomId)).catch((error: unknown) =>
        this.onError(error, roomId),
      );
    }, memberListWindowMs(memberCount));
    // A pending list must not keep a stopping process alive.
    timer.unref();
  }
}
