import type { Server as HttpServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { Server, type ServerOptions } from 'socket.io';
import type { RandomBytes } from '../chat/room-id';
import { ServerEvent } from '../protocol/events';
import { MAX_PACKET_BYTES } from '../protocol/limits';
import type { Store } from '../store/store';
import type { ChatContext } from './chat-context';
import { ChatService } from './chat-service';
import { RoomKeeping } from './room-keeping';
import { keeperHandlers } from './handlers/keeper-handlers';
import { type HandlerTable, socketHandlers } from './handler';
import { messageHandlers } from './handlers/message-handlers';
import { nicknameHandlers } from './handlers/nickname-handlers';
import { presenceHandlers } from './handlers/presence-handlers';
import { roomHandlers } from './handlers/room-handlers';
import { capConnections, closeWhenSilent, type ConnectionCapSettings } from './connection-cap';
import { handshakeFacts, keepHandshakeFacts } from './handshake-facts';
import { identifySession } from './identity';
import { errorFields, type Logger } from './logger';
import { InFlightRequests } from './in-flight';
import { LobbyFeed } from './lobby-feed';
import type { ChatMetrics } from './metrics';
import { isAllowedOrigin } from './origin-check';
import type { RateLimits } from './rate-limits';
import { MemberListThrottle } from './member-list-throttle';
import { sendMemberList } from './room-broadcasts';
import { RoomLifecycle } from './room-lifecycle';
import { Sessions } from './sessions';
import { sessionRoom } from './socket-rooms';
import type { ChatServer } from './socket-types';

/** How long closing connections may take to flush their last packets. */
const FLUSH_TIMEOUT_MS = 1_000;

/** Everything the chat server needs from outside; only server.ts and tests build these. */
export interface ChatServerDeps {
  store: Store;
  logger: Logger;
  memberGraceMs: number;
  clock: () => Date;
  randomBytes: RandomBytes;
  newMessageId: () => string;
  rateLimits: RateLimits;
  metrics?: ChatMetrics;
  /** Origins besides the page's own that may open sockets (cross-site hijacking defence). */
  allowedOrigins: readonly string[];
  /** Trust `X-Forwarded-For` for client addresses. */
  trustProxy: boolean;
  /** The per-address connection cap; none when absent (tests not about it). */
  connectionCap?: ConnectionCapSettings;
  /** Extra Socket.IO options (e.g. an adapter or `allowRequest`). */
  socketOptions?: Partial<ServerOptions>;
  /** Whether other server processes share the load through an adapter. */
  clustered?: boolean;
  /** How often the lobby's statistics go out (tests make it short). */
  lobbyStatsIntervalMs?: number;
}

/** The running chat server. */
export interface ChatApp {
  io: ChatServer;
  sessions: Sessions;
  /** The public lobby feed (`/lobby`). */
  lobby: LobbyFeed;
  /** Re-arms the grace periods of stored members after a restart. */
  resume(): Promise<void>;
  /** Sends an operator's announcement to every connected client, on every process. */
  announce(text: string): void;
  /**
   * Prepares a restart: refuses new connections and new requests (answered `RESTARTING`),
   * tells clients, lets requests being handled finish (up to `timeoutMs`), and closes their connections so they reconnect elsewhere or
   * later. Members keep their places: nobody is announced as leaving.
   */
  drain(timeoutMs: number): Promise<void>;
  /** Disconnects every client and stops timers; the store stays open. */
  close(): Promise<void>;
}

/**
 * Mounts the livechat Socket.IO server on an HTTP server.
 *
 * @example
 * const chat = createChatServer(httpServer, { store: SqliteStore.open(dataDir), ...deps });
 * httpServer.listen(0);
 */
export function createChatServer(httpServer: HttpServer, deps: ChatServerDeps): ChatApp {
  let draining = false;
  const inFlight = new InFlightRequests();
  const io: ChatServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_PACKET_BYTES,
    perMessageDeflate: false,
    // Next.js owns the other upgrade requests on this port (its dev hot-reload socket).
    destroyUpgrade: false,
    allowRequest: (request, callback) => {
      if (draining) return callback('The server is restarting', false);
      const allowed = isAllowedOrigin(
        request.headers.origin,
        request.headers.host,
        deps.allowedOrigins,
      );
      callback(allowed ? null : 'Origin not allowed', allowed);
    },
    ...deps.socketOptions,
  });
  const chat = new ChatService(deps);
  const sessions = new Sessions(deps.store, deps.randomBytes);
  const lobby = new LobbyFeed({
    io,
    store: deps.store,
    logger: deps.logger,
    clustered: deps.clustered ?? false,
    statsIntervalMs: deps.lobbyStatsIntervalMs,
  });
  const memberLists = new MemberListThrottle(
    (roomId) => sendMemberList({ io, chat }, roomId),
    (error, roomId) =>
      deps.logger.warn({ roomId, ...errorFields(error) }, 'member list broadcast failed'),
  );
  const rooms = new RoomLifecycle({
    io,
    chat,
    memberLists,
    store: deps.store,
    lobby,
    logger: deps.logger,
    graceMs: deps.memberGraceMs,
    clustered: deps.clustered ?? false,
  });
  rooms.startSweeps();
  const keeping = new RoomKeeping({ store: deps.store, chat, clock: deps.clock });
  const ctx: ChatContext = {
    io,
    chat,
    keeping,
    rooms,
    lobby,
    memberLists,
    logger: deps.logger,
    rateLimits: deps.rateLimits,
    metrics: deps.metrics,
    inFlight,
    clock: deps.clock,
  };

  const table: HandlerTable = {
    ...roomHandlers(ctx),
    ...messageHandlers(ctx),
    ...nicknameHandlers(ctx),
    ...presenceHandlers(ctx),
    ...keeperHandlers(ctx),
  };
  const handlers = socketHandlers(ctx, table);

  keepHandshakeFacts(io, deps.trustProxy);
  io.use((socket, next) => {
    socket.data.address = handshakeFacts(socket).address;
    next();
  });
  if (deps.connectionCap) {
    const refuseOverCap = capConnections(io, deps.connectionCap);
    io.use(refuseOverCap);
    lobby.use(refuseOverCap);
  }
  io.use(identifySession(sessions, deps.logger));
  io.on('connection', (socket) => {
    const { sessionId, issuedToken, address } = socket.data;
    deps.logger.info({ sessionId, address, socketId: socket.id }, 'connected');
    void socket.join(sessionRoom(sessionId));
    if (issuedToken) {
      socket.emit(ServerEvent.Session, { token: issuedToken });
      // Assigned rather than deleted: a delete would turn the object into a slower dictionary.
      socket.data.issuedToken = undefined;
    }
    const heard = deps.connectionCap
      ? closeWhenSilent(socket, deps.connectionCap.unjoinedTimeoutMs)
      : () => {};
    // One listener for every request event instead of one per event: an idle socket then
    // holds a single closure rather than one per handler.
    socket.onAny((event: string, payload: unknown, ack: unknown) => {
      heard();
      void handlers.get(event)?.(socket, payload, ack);
    });
    socket.on('disconnecting', (reason) => {
      deps.logger.info({ sessionId, address, socketId: socket.id, reason }, 'disconnected');
      if (draining) return;
      rooms
        .socketLeaving(socket)
        .catch((error: unknown) =>
          deps.logger.error({ sessionId, ...errorFields(error) }, 'disconnect handling failed'),
        );
    });
  });

  return {
    io,
    sessions,
    lobby,
    resume: () => rooms.resume(),
    announce(text) {
      io.emit(ServerEvent.Announcement, { text, createdAt: deps.clock().toISOString() });
    },
    async drain(timeoutMs) {
      draining = true;
      inFlight.refuseNew();
      rooms.close();
      lobby.close();
      // From here every new request is refused with RESTARTING, so steady traffic cannot hold
      // the stop up: only the requests already being handled are waited for.
      io.local.emit(ServerEvent.Restarting, {});
      deps.logger.debug(
        { sockets: io.sockets.sockets.size },
        'drain: clients told, new work refused',
      );
      if (!(await inFlight.settled(timeoutMs))) {
        deps.logger.warn({ timeoutMs }, 'requests still in flight at shutdown');
      }
      deps.logger.debug({}, 'drain: requests settled; closing connections');
      // Closing the transport (not disconnecting the socket) makes clients reconnect. It
      // first flushes what is queued (the last acknowledgements): wait for that, briefly.
      const closed = [...io.sockets.sockets.values()].map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.conn.once('close', () => resolve());
            socket.conn.close();
          }),
      );
      await Promise.race([Promise.all(closed), delay(FLUSH_TIMEOUT_MS, undefined, { ref: false })]);
    },
    async close() {
      deps.connectionCap?.counts.stop();
      rooms.close();
      lobby.close();
      await io.close();
    },
  };
}
