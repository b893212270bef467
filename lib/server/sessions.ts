import { createHash } from 'node:crypto';
import type { RandomBytes } from '../chat/room-id';
import type { Store } from '../store/store';

/** Name of the cookie that carries a browser's session token. */
export const SESSION_COOKIE = 'livechat_session';

const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A freshly issued session: the secret token for the client, the ID the server keeps. */
export interface IssuedSession {
  token: string;
  sessionId: string;
}

/**
 * Anonymous sessions. A client holds a 256-bit random token; the server stores only its
 * SHA-256 (the session ID), so a leaked database or log line cannot be replayed as a token.
 */
export class Sessions {
  constructor(
    private readonly store: Store,
    private readonly randomBytes: RandomBytes,
    private readonly clock: () => Date,
  ) {}

  /** The session ID for a token the server issued earlier, or undefined for anything else. */
  async resolve(token: unknown): Promise<string | undefined> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    const sessionId = sessionIdOf(token);
    return (await this.store.sessionExists(sessionId)) ? sessionId : undefined;
  }

  /** Issues and records a new session. */
  async issue(): Promise<IssuedSession> {
    const token = Buffer.from(this.randomBytes(TOKEN_BYTES)).toString('base64url');
    const sessionId = sessionIdOf(token);
    await this.store.createSession(sessionId, this.clock().toISOString());
    return { token, sessionId };
  }
}

/** The stored, non-secret identifier of a session token. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
