import type { ExtendedError } from 'socket.io';
import { handshakeFacts } from './handshake-facts';
import { errorFields, type Logger } from './logger';
import { readSessionToken } from './session-cookie';
import type { Sessions } from './sessions';
import type { ChatSocket } from './socket-types';

/**
 * Handshake middleware: identifies the socket's session by its cookie, or by `auth.token` for
 * clients without cookies. A missing, unknown or forged token gets a new session, whose token
 * is sent in a `session` event once connected. Handlers read identity from `socket.data` only.
 */
export function identifySession(sessions: Sessions, logger: Logger) {
  return async (socket: ChatSocket, next: (error?: ExtendedError) => void): Promise<void> => {
    try {
      const auth: unknown = socket.handshake.auth;
      const authToken =
        typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
      const { cookie } = handshakeFacts(socket);
      const fromCookie = await sessions.resolve(readSessionToken(cookie));
      const sessionId = fromCookie ?? (await sessions.resolve(authToken));
      const { address } = socket.data;
      if (sessionId) {
        socket.data.sessionId = sessionId;
        const source = fromCookie ? 'cookie' : 'auth token';
        logger.debug({ sessionId, address, source }, 'session identified');
      } else {
        const issued = await sessions.issue();
        socket.data.sessionId = issued.sessionId;
        socket.data.issuedToken = issued.token;
        const offered = authToken !== undefined || cookie !== undefined;
        logger.debug({ sessionId: issued.sessionId, address, offered }, 'session issued');
      }
      next();
    } catch (error) {
      logger.error({ address: socket.data.address, ...errorFields(error) }, 'handshake failed');
      next(new Error('The server could not start your session. Please try again.'));
    }
  };
}
