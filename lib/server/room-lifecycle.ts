import type { ConnectedTab } from '../chat/presence';
import { ServerEvent } from '../protocol/events';
import type { Store } from '../store/store';
import type { ChatService } from './chat-service';
import type { Removal } from './room-keeping';
import { GraceTimers } from './grace-timers';
import type { LobbyFeed } from './lobby-feed';
import { errorFields, type Logger } from './logger';
import {
  broadcastMembers,
  broadcastMessage,
  type RoomBroadcasting,
  tabOf,
} from './room-broadcasts';
import { chatRoom, roomIdOf, sessionRoom } from './socket-rooms';
import type { ChatSocket } from './socket-types';

/** What the room lifecycle works with. */
export interface RoomLifecycleDeps extends RoomBroadcasting {
  chat: ChatService;
  store: Pick<Store, 'listRooms' | 'listMembers'>;
  lobby: LobbyFeed;
  logger: Logger;
  graceMs: number;
  /** Whether other processes share the load: then grace periods of dead peers are swept. */
  clustered: boolean;
}

/** Where a session is, as far as a grace period that ran out needs to know. */
type Whereabouts = 'in-room' | 'reconnected' | 'gone';

/**
 * A room from creation to deletion, and each member from joining to leaving:
 *
 * - a new room has one grace period to get its first member, or it is deleted;
 * - a member whose last tab leaves the room (a reload, a network loss) keeps its place for a
 *   grace period; a tab that joins again in time cancels it, else the member leaves;
 * - a member leaves (asked, or at the end of its grace period): every tab on every process
 *   is taken out, the nickname freed, the room told, and the room deleted with its last
 *   member.
 *
 * Whether a session still has a socket in a room is asked of Socket.IO (`fetchSockets`),
 * which spans every server process when an adapter connects them. Grace periods live in the
 * memory of the process where the last tab dropped; `resume` re-arms them after a restart and,
 * with several processes, a periodic sweep takes over those of a process that died.
 */
export class RoomLifecycle {
  private readonly timers: GraceTimers;
  private stopSweeps: () => void = () => {};

  constructor(private readonly deps: RoomLifecycleDeps) {
    this.timers = new GraceTimers(deps.graceMs, deps.logger);
  }

  /** A room was just created: it waits one grace period for its first member. */
  created(roomId: string, isPublic: boolean): void {
    this.timers.startEmptyRoom(roomId, () => this.expireEmptyRoom(roomId));
    if (isPublic) this.deps.lobby.roomsChanged();
  }

  /**
   * A tab of a member joined the room: it hears the room's live events from now on, and the
   * member's grace period, if one runs, ends.
   */
  async entered(socket: Pick<ChatSocket, 'join'>, roomId: string, sessionId: string) {
    await socket.join(chatRoom(roomId));
    this.timers.cancelMember(roomId, sessionId);
  }

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
      if (tabs) await broadcastMembers(this.deps, roomId, { tabs });
    }
  }

  /**
   * Takes a session out of a room on every tab and server process, frees its nickname,
   * announces it, and deletes the room if it was the last member. False if it was no member.
   */
  async leave(
    roomId: string,
    sessionId: string,
    logFields: Record<string, unknown> = { reason: 'grace period ended' },
  ): Promise<boolean> {
    const { io, chat, lobby, logger } = this.deps;
    this.timers.cancelMember(roomId, sessionId);
    const outcome = await chat.leave(sessionId, roomId);
    io.in(sessionRoom(sessionId)).socketsLeave(chatRoom(roomId));
    if (!outcome) return false;
    io.to(sessionRoom(sessionId)).emit(ServerEvent.RoomLeft, { roomId });
    if (!outcome.roomDeleted) {
      if (outcome.announcement) await broadcastMessage(this.deps, outcome.announcement);
      if (outcome.ownerAnnouncement) await broadcastMessage(this.deps, outcome.ownerAnnouncement);
      await broadcastMembers(this.deps, roomId, { stored: outcome.members });
    }
    lobby.roomsChanged();
    logger.info({ roomId, sessionId, ...logFields }, 'member left');
    if (outcome.roomDeleted) logger.info({ roomId, reason: 'last member left' }, 'room deleted');
    return true;
  }

  /**
   * A member the room's keepers took out (`RoomKeeping.remove`): every tab on every process
   * leaves the room's channel at once and is told why; the room hears the announcement.
   */
  async removed(roomId: string, removal: Removal): Promise<void> {
    const { io, lobby, logger } = this.deps;
    const { sessionId } = removal.member;
    this.timers.cancelMember(roomId, sessionId);
    io.in(sessionRoom(sessionId)).socketsLeave(chatRoom(roomId));
    const bannedUntil = removal.ban ? { bannedUntil: removal.ban.until } : {};
    io.to(sessionRoom(sessionId)).emit(ServerEvent.RoomLeft, {
      roomId,
      removed: { by: removal.by, ...bannedUntil },
    });
    if (removal.announcement) await broadcastMessage(this.deps, removal.announcement);
    await broadcastMembers(this.deps, roomId, { stored: removal.members });
    lobby.roomsChanged();
    logger.info({ roomId, sessionId, banned: removal.ban !== undefined }, 'member removed');
  }

  /**
   * Re-arms the grace periods of stored members and empty rooms after a restart, and with
   * several processes starts sweeping for those a dead process held.
   */
  async resume(): Promise<void> {
    for (const { roomId, memberCount } of await this.deps.store.listRooms()) {
      if (memberCount === 0) {
        this.timers.startEmptyRoom(roomId, () => this.expireEmptyRoom(roomId));
        continue;
      }
      for (const member of await this.deps.store.listMembers(roomId)) {
        this.startGrace(roomId, member.sessionId);
      }
    }
    this.deps.logger.debug({}, 'grace periods re-armed');
  }

  /** Starts the periodic sweep of a cluster (see `sweep`); a lone process needs none. */
  startSweeps(): void {
    if (!this.deps.clustered) return;
    this.stopSweeps = repeatWithoutOverlap(Math.max(1_000, this.deps.graceMs), () =>
      this.sweep().catch((error: unknown) =>
        this.deps.logger.warn(errorFields(error), 'grace period sweep failed; trying later'),
      ),
    );
  }

  /**
   * Makes sure every stored member with no tab in the room on any process has a grace period
   * running somewhere, and every empty room one too. Grace periods live in the memory of the
   * process where the last tab dropped; when that process dies for good, another one must
   * take them over, or those members would hold their nicknames (and rooms) forever.
   */
  async sweep(): Promise<void> {
    const inRooms = new Set<string>();
    for (const socket of await this.deps.io.fetchSockets()) {
      for (const socketRoom of socket.rooms) {
        const roomId = roomIdOf(socketRoom);
        if (roomId !== undefined) inRooms.add(`${roomId}\n${socket.data.sessionId}`);
      }
    }
    for (const { roomId, memberCount } of await this.deps.store.listRooms()) {
      if (memberCount === 0) {
        if (!this.timers.hasEmptyRoom(roomId)) {
          this.timers.startEmptyRoom(roomId, () => this.expireEmptyRoom(roomId));
        }
        continue;
      }
      for (const { sessionId } of await this.deps.store.listMembers(roomId)) {
        const present = inRooms.has(`${roomId}\n${sessionId}`);
        if (!present && !this.timers.hasMember(roomId, sessionId)) {
          this.startGrace(roomId, sessionId);
        }
      }
    }
  }

  /** Stops every grace period and the sweep (shutdown: members keep their places). */
  close(): void {
    this.stopSweeps();
    this.timers.close();
  }

  /** Starts (or restarts) a member's grace period. */
  private startGrace(roomId: string, sessionId: string): void {
    const startedAt = Date.now();
    this.deps.logger.debug({ roomId, sessionId }, 'grace period started');
    this.timers.startMember(roomId, sessionId, async () => {
      const whereabouts = await this.whereabouts(roomId, sessionId, startedAt);
      this.deps.logger.debug({ roomId, sessionId, whereabouts }, 'grace period ended');
      if (whereabouts === 'in-room') return;
      // A tab that reconnected during the grace period is about to send room:join again:
      // give it one more period instead of announcing a leave and a join a moment apart.
      if (whereabouts === 'reconnected') return this.startGrace(roomId, sessionId);
      await this.leave(roomId, sessionId);
    });
  }

  /** A room nobody joined within its first grace period. */
  private async expireEmptyRoom(roomId: string): Promise<void> {
    if (!(await this.deps.chat.deleteRoomIfEmpty(roomId))) return;
    this.deps.lobby.roomsChanged();
    this.deps.logger.info({ roomId, reason: 'nobody joined' }, 'room deleted');
  }

  /** The tabs connected to the room on every process, but for one that is leaving. */
  private async tabsIn(roomId: string, leavingSocketId: string): Promise<ConnectedTab[]> {
    const sockets = await this.deps.io.in(chatRoom(roomId)).fetchSockets();
    return sockets.filter((socket) => socket.id !== leavingSocketId).map(tabOf);
  }

  /** Whether the session is in the room, or has a socket that connected since `since`. */
  private async whereabouts(
    roomId: string,
    sessionId: string,
    since: number,
  ): Promise<Whereabouts> {
    const sockets = await this.deps.io.in(sessionRoom(sessionId)).fetchSockets();
    const room = chatRoom(roomId);
    if (sockets.some((socket) => socket.rooms.has(room))) return 'in-room';
    if (sockets.some((socket) => socket.handshake.issued >= since)) return 'reconnected';
    return 'gone';
  }
}

/**
 * Runs `work` every `intervalMs`, skipping a turn while the previous run is still going (a
 * sweep may wait on a dead peer until the adapter gives up on it). Returns the stop function.
 */
function repeatWithoutOverlap(intervalMs: number, work: () => Promise<void>): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void work().finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
