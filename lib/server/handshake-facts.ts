import { type IncomingMessage, ServerResponse } from 'node:http';
import { clientAddress } from './client-address';
import type { ChatServer, ChatSocket } from './socket-types';

/** What the handshake middlewares need from a connection's opening HTTP request. */
export interface HandshakeFacts {
  /** The client's address (see `clientAddress`). */
  address: string;
  /** The `Cookie` header, which may carry the session token. */
  cookie: string | undefined;
}

const factsByConnection = new WeakMap<object, HandshakeFacts>();
/** Engine.IO's stand-in response of each WebSocket upgrade, which points back at the request. */
const upgradeResponses = new WeakMap<IncomingMessage, { req: IncomingMessage | null }>();

/**
 * Keeps only what livechat reads from each connection's opening request and drops the request
 * itself, which Socket.IO would otherwise hold for the connection's whole life (headers, raw
 * headers, stream state: kilobytes per idle socket). `socket.handshake.headers` is then empty.
 */
export function keepHandshakeFacts(io: ChatServer, trustProxy: boolean): void {
  // The stand-in response lives as long as the TCP socket (a close listener holds it), and
  // with it the request: note it during the upgrade to let go of the request afterwards.
  io.engine.use((request: IncomingMessage, response: unknown, next: () => void) => {
    if (!(response instanceof ServerResponse)) {
      upgradeResponses.set(request, response as { req: IncomingMessage | null });
    }
    next();
  });
  io.engine.on('connection', (connection: { request: IncomingMessage | null }) => {
    const request = connection.request;
    if (!request) return;
    factsByConnection.set(connection, {
      address: clientAddress(request, trustProxy),
      cookie: request.headers.cookie,
    });
    connection.request = null;
    const response = upgradeResponses.get(request);
    if (response) response.req = null;
  });
}

/** The facts kept for a socket's connection. */
export function handshakeFacts(socket: Pick<ChatSocket, 'conn'>): HandshakeFacts {
  return connectionFacts(socket.conn);
}

/** The facts kept for an Engine.IO connection (once its `connection` event has been seen). */
export function connectionFacts(connection: object): HandshakeFacts {
  return factsByConnection.get(connection) ?? { address: 'unknown', cookie: undefined };
}
