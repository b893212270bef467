import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { RandomBytes } from '../chat/room-id';
import { ServerEvent } from '../protocol/events';
import { MAX_PACKET_BYTES } from '../protocol/limits';
import type { Store } from '../store/store';
import type { ChatContext } from './chat-context';
import { ChatService } from './chat-service';
import type { SocketHandler } from './handler';
import { messageHandlers } from './handlers/message-handlers';
import { nicknameHandlers } from './handlers/nickname-handlers';
import { roomHandlers } from './handlers/room-handlers';
import { handshakeFacts, keepHandshakeFacts } from './handshake-facts';
import { identifySession } from './identity';
import { errorFields, type Logger } from './logger';
import { InFlightRequests } from './in-flight';
import { MemberPresence } from './member-presence';
import type { ChatMetrics } from './metrics';
import { isAllowedOrigin } from './origin-check';
import type { RateLimits } from './rate-limits';
import { removeMember } from './room-membership';
import { Sessions } from './sessions';
import { sessionRoom } from './socket-rooms';
import type { ChatServer } from './socket-types';

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
  /** Extra Socket.IO options (e.g. an adapter or `allowRequest`). */
  socketOptions?: Partial<ServerOptions>;
}

/** The running chat server. */
export interface ChatApp {
  io: ChatServer;
  sessions: Sessions;
  /** Re-arms the grace periods of stored members after a restart. */
  resume(): Promise<void>;
  /** Sends an operator's announcement to every connected client, on every process. */
  announce(text: string): void;
  /**
   * Prepares a restart: refuses new connections, lets requests being handled finish (up to
   * `timeoutMs`), tells clients, and closes their connections so they reconnect elsewhere or
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
 * const chat = createChatServer(httpServer, { store: new MemoryStore(), ...deps });
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
  const sessions = new Sessions(deps.store, deps.randomBytes, deps.clock);
  const presence: MemberPresence = new MemberPresence(
    io,
    {
      expireMember: async (roomId, sessionId) => {
        await removeMember(ctx, roomId, sessionId);
      },
      expireEmptyRoom: async (roomId) => {
        if (await chat.deleteRoomIfEmpty(roomId)) deps.logger.info({ roomId }, 'room deleted');
      },
    },
    deps.memberGraceMs,
    deps.logger,
  );
  const ctx: ChatContext = {
    io,
    chat,
    presence,
    logger: deps.logger,
    rateLimits: deps.rateLimits,
    metrics: deps.metrics,
    inFlight,
  };

  const handlers = new Map<string, SocketHandler>(
    Object.entries({ ...roomHandlers(ctx), ...messageHandlers(ctx), ...nicknameHandlers(ctx) }),
  );

  keepHandshakeFacts(io, deps.trustProxy);
  io.use((socket, next) => {
    socket.data.address = handshakeFacts(socket).address;
    next();
  });
  io.use(identifySession(sessions));
  io.on('connection', (socket) => {
    const { sessionId, issuedToken, address } = socket.data;
    deps.logger.info({ sessionId, address, socketId: socket.id }, 'connected');
    void socket.join(sessionRoom(sessionId));
    if (issuedToken) {
      socket.emit(ServerEvent.Session, { token: issuedToken });
      // Assigned rather than deleted: a delete would turn the object into a slower dictionary.
      socket.data.issuedToken = undefined;
    }
    // One listener for every request event instead of one per event: an idle socket then
    // holds a single closure rather than one per handler.
    socket.onAny((event: string, payload: unknown, ack: unknown) => {
      void handlers.get(event)?.(socket, payload, ack);
    });
    socket.on('disconnecting', (reason) => {
      deps.logger.info({ sessionId, address, socketId: socket.id, reason }, 'disconnected');
      if (draining) return;
      presence
        .socketLeaving(socket)
        .catch((error: unknown) =>
          deps.logger.error({ sessionId, ...errorFields(error) }, 'disconnect handling failed'),
        );
    });
  });

  return {
    io,
    sessions,
    async resume() {
      for (const { roomId, memberCount } of await deps.store.listRooms()) {
        if (memberCount === 0) {
          presence.startEmptyRoomGrace(roomId);
          continue;
        }
        for (const member of await deps.store.listMembers(roomId)) {
          presence.startGrace(roomId, member.sessionId);
        }
      }
    },
    announce(text) {
      io.emit(ServerEvent.Announcement, { text, createdAt: deps.clock().toISOString() });
    },
    async drain(timeoutMs) {
      draining = true;
      presence.close();
      if (!(await inFlight.settled(timeoutMs))) {
        deps.logger.warn({ timeoutMs }, 'requests still in flight at shutdown');
      }
      io.local.emit(ServerEvent.Restarting, {});
      // Closing the transport (not disconnecting the socket) makes clients reconnect. A
      // transport with writes still buffered (the last acknowledgements, the notice above)
      // closes only once they are out, so wait for that before anything tears sockets down.
      const closed: Array<Promise<void>> = [];
      for (const socket of io.sockets.sockets.values()) {
        closed.push(new Promise((resolve) => socket.conn.once('close', () => resolve())));
        socket.conn.close();
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      });
      await Promise.race([Promise.all(closed), timedOut]);
      clearTimeout(timer);
    },
    async close() {
      presence.close();
      await io.close();
    },
  };
}
