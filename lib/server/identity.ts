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
      const sessionId =
        (await sessions.resolve(readSessionToken(handshakeFacts(socket).cookie))) ??
        (await sessions.resolve(authToken));
      if (sessionId) {
        socket.data.sessionId = sessionId;
      } else {
        const issued = await sessions.issue();
        socket.data.sessionId = issued.sessionId;
        socket.data.issuedToken = issued.token;
      }
      next();
    } catch (error) {
      logger.error({ address: socket.data.address, ...errorFields(error) }, 'handshake failed');
      next(new Error('The server could not start your session. Please try again.'));
    }
  };
}
