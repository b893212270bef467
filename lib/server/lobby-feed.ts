import type { ExtendedError, Namespace } from 'socket.io';
import {
  LOBBY_NAMESPACE,
  LobbyEvent,
  type InterServerEvents,
  type LobbyClientToServerEvents,
  type LobbyServerToClientEvents,
} from '../protocol/events';
import { LOBBY_ROOM_LIMIT, LOBBY_STATS_INTERVAL_MS } from '../protocol/limits';
import type { LobbyStats } from '../protocol/definitions';
import type { Store } from '../store/store';
import { errorFields, type Logger } from './logger';
import type { ChatServer, ChatSocket } from './socket-types';

type LobbyNamespace = Namespace<
  LobbyClientToServerEvents,
  LobbyServerToClientEvents,
  InterServerEvents
>;

/** What the lobby feed needs; `clustered` says whether other server processes share the load. */
export interface LobbyFeedDeps {
  io: ChatServer;
  store: Store;
  logger: Logger;
  clustered: boolean;
  statsIntervalMs?: number;
}

/** How long changes are gathered before the list is sent again. */
const ROOMS_DEBOUNCE_MS = 100;

/**
 * The `/lobby` namespace: the list of public rooms with their member counts, pushed on
 * connect and after every change, and server statistics every few seconds while anyone on
 * this process watches. Private rooms never appear in the list; they are only counted.
 */
export class LobbyFeed {
  private readonly lobby: LobbyNamespace;
  private statsTimer: NodeJS.Timeout | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly deps: LobbyFeedDeps) {
    // The lobby speaks its own small contract, not the chat namespace's.
    this.lobby = deps.io.of(LOBBY_NAMESPACE) as unknown as LobbyNamespace;
    this.lobby.on('connection', (socket) => {
      this.report(async () => {
        const [rooms, stats] = await Promise.all([this.rooms(), this.stats()]);
        socket.emit(LobbyEvent.Rooms, { rooms });
        socket.emit(LobbyEvent.Stats, stats);
      });
      this.startStats();
      socket.on('disconnect', () => {
        if (this.lobby.sockets.size === 0) this.stopStats();
      });
    });
  }

  /** Adds a handshake middleware to the lobby namespace (the connection cap's refusal). */
  use(
    middleware: (
      socket: Pick<ChatSocket, 'conn'>,
      next: (error?: ExtendedError) => void,
    ) => void | Promise<void>,
  ): void {
    this.lobby.use(
      (socket, next) => void middleware(socket as unknown as Pick<ChatSocket, 'conn'>, next),
    );
  }

  /** Whether anyone on this process watches the lobby (its statistics timer runs). */
  get watched(): boolean {
    return this.statsTimer !== undefined;
  }

  /**
   * Something that may show in the list changed (a room opened or closed, a member came or
   * went). Changes close together are sent as one update, to watchers on every process.
   */
  roomsChanged(): void {
    if (this.refreshTimer || this.closed) return;
    // Alone, with nobody watching, there is no one to tell (a new watcher reads the list).
    if (!this.deps.clustered && this.lobby.sockets.size === 0) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.report(async () => this.lobby.emit(LobbyEvent.Rooms, { rooms: await this.rooms() }));
    }, ROOMS_DEBOUNCE_MS);
    this.refreshTimer.unref();
  }

  /** Stops the timers (shutdown). */
  close(): void {
    this.closed = true;
    this.stopStats();
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private rooms() {
    return this.deps.store.listPublicRooms(LOBBY_ROOM_LIMIT);
  }

  /** The store's counts, which every process shares: nobody is counted twice. */
  private async stats(): Promise<LobbyStats> {
    const { rooms, people } = await this.deps.store.counts();
    return { peopleInRooms: people, rooms };
  }

  private startStats(): void {
    if (this.statsTimer || this.closed) return;
    const interval = this.deps.statsIntervalMs ?? LOBBY_STATS_INTERVAL_MS;
    this.statsTimer = setInterval(() => {
      this.report(async () => this.lobby.local.emit(LobbyEvent.Stats, await this.stats()));
    }, interval);
    this.statsTimer.unref();
  }

  private stopStats(): void {
    clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  private report(work: () => Promise<unknown>): void {
    work().catch((error: unknown) =>
      this.deps.logger.error(errorFields(error), 'lobby update failed'),
    );
  }
}
