import type { ConnectedTab } from '../chat/presence';
import type { Store } from '../store/store';
import type { ChatServer, ChatSocket } from './socket-types';
import { errorFields, type Logger } from './logger';
import { chatRoom, roomIdOf, sessionRoom } from './socket-rooms';

/** What happens when a grace period runs out. */
export interface PresenceActions {
  /** The member had no connection to the room for the whole grace period. */
  expireMember(roomId: string, sessionId: string): Promise<void>;
  /** A room nobody joined within the grace period after it was created. */
  expireEmptyRoom(roomId: string): Promise<void>;
  /** A tab of a member went away: the member may now be reconnecting, or idle. */
  presenceChanged(roomId: string, tabs: ConnectedTab[]): Promise<void>;
}

/**
 * Tracks the grace period of members whose last connection to a room dropped, so that a
 * reload or a short network loss does not count as leaving. Whether a session still has a
 * socket in a room is asked of Socket.IO itself (`fetchSockets`), which spans every server
 * process when an adapter connects them.
 */
export class MemberPresence {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly io: ChatServer,
    private readonly actions: PresenceActions,
    private readonly graceMs: number,
    private readonly logger: Logger,
  ) {}

  /** Called while a socket disconnects: starts the grace period of each room it was in. */
  async socketLeaving(socket: Pick<ChatSocket, 'id' | 'rooms' | 'data'>): Promise<void> {
    const { sessionId } = socket.data;
    // Copy now: the socket leaves its rooms as soon as this event's listeners return.
    for (const socketRoom of [...socket.rooms]) {
      const roomId = roomIdOf(socketRoom);
      if (roomId === undefined) continue;
      // One question to every process serves both the grace period and the member list. If
      // it cannot be asked, start the grace period anyway: its expiry asks again before
      // anyone is counted as gone.
      const tabs = await this.tabsIn(roomId, socket.id).catch(() => undefined);
      if (!tabs?.some((tab) => tab.sessionId === sessionId)) this.startGrace(roomId, sessionId);
      if (tabs) await this.actions.presenceChanged(roomId, tabs);
    }
  }

  /** Starts (or restarts) a member's grace period. */
  startGrace(roomId: string, sessionId: string): void {
    const startedAt = Date.now();
    this.arm(memberKey(roomId, sessionId), async () => {
      const presence = await this.presenceOf(roomId, sessionId, startedAt);
      if (presence === 'in-room') return;
      // A tab that reconnected during the grace period is about to send room:join again:
      // give it one more period instead of announcing a leave and a join a moment apart.
      if (presence === 'reconnected') return this.startGrace(roomId, sessionId);
      await this.actions.expireMember(roomId, sessionId);
    });
  }

  /** The member is back (or gone for good): stop its grace period. */
  cancelGrace(roomId: string, sessionId: string): void {
    this.disarm(memberKey(roomId, sessionId));
  }

  /** Gives a new room one grace period to get its first member. */
  startEmptyRoomGrace(roomId: string): void {
    this.arm(roomKey(roomId), () => this.actions.expireEmptyRoom(roomId));
  }

  /**
   * Makes sure every stored member with no tab in the room on any process has a grace period
   * running somewhere, and every empty room one too. Grace periods live in the memory of the
   * process where the last tab dropped; when that process dies for good, another one must
   * take them over, or those members would hold their nicknames (and rooms) forever.
   */
  async sweep(store: Pick<Store, 'listRooms' | 'listMembers'>): Promise<void> {
    const inRooms = new Set<string>();
    for (const socket of await this.io.fetchSockets()) {
      for (const socketRoom of socket.rooms) {
        const roomId = roomIdOf(socketRoom);
        if (roomId !== undefined) inRooms.add(memberKey(roomId, socket.data.sessionId));
      }
    }
    for (const { roomId, memberCount } of await store.listRooms()) {
      if (memberCount === 0) {
        if (!this.timers.has(roomKey(roomId))) this.startEmptyRoomGrace(roomId);
        continue;
      }
      for (const { sessionId } of await store.listMembers(roomId)) {
        const key = memberKey(roomId, sessionId);
        if (!inRooms.has(key) && !this.timers.has(key)) this.startGrace(roomId, sessionId);
      }
    }
  }

  /** Stops every timer (shutdown). */
  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The tabs connected to the room on every process, but for one that is leaving. */
  private async tabsIn(roomId: string, leavingSocketId: string): Promise<ConnectedTab[]> {
    const sockets = await this.io.in(chatRoom(roomId)).fetchSockets();
    return sockets.filter((socket) => socket.id !== leavingSocketId).map(tabOf);
  }

  /** Whether the session is in the room, or has a socket that connected since `since`. */
  private async presenceOf(roomId: string, sessionId: string, since: number) {
    const sockets = await this.io.in(sessionRoom(sessionId)).fetchSockets();
    const room = chatRoom(roomId);
    if (sockets.some((socket) => socket.rooms.has(room))) return 'in-room';
    if (sockets.some((socket) => socket.handshake.issued >= since)) return 'reconnected';
    return 'gone';
  }

  private arm(key: string, onExpiry: () => Promise<void>): void {
    this.disarm(key);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      onExpiry().catch((error: unknown) => {
        // A store or adapter hiccup must not hold the member (or the room) forever: try again
        // after another period, unless something re-armed or cancelled it meanwhile.
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

/** The tabs connected to a chat room, on every process an adapter connects. */
export async function connectedTabs(io: ChatServer, roomId: string): Promise<ConnectedTab[]> {
  return (await io.in(chatRoom(roomId)).fetchSockets()).map(tabOf);
}

function tabOf(socket: { data: { sessionId: string; idle?: boolean } }): ConnectedTab {
  return { sessionId: socket.data.sessionId, idle: socket.data.idle === true };
}
