import { createHash } from 'node:crypto';
import type { RandomBytes } from '../chat/room-id';
import type { Store } from '../store/store';

/** Name of the cookie that carries a browser's session token. */
export const SESSION_COOKIE = 'livechat_session';

const TOKEN_BYTES = 32;
/** How many known session IDs to remember, sparing the store a read per page and handshake. */
const KNOWN_SESSIONS_CACHE = 10_000;
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
  /** Session IDs known to exist, oldest first (sessions are never deleted, so never stale). */
  private readonly known = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly randomBytes: RandomBytes,
    private readonly clock: () => Date,
  ) {}

  /** The session ID for a token the server issued earlier, or undefined for anything else. */
  async resolve(token: unknown): Promise<string | undefined> {
    if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) return undefined;
    const sessionId = sessionIdOf(token);
    if (this.known.has(sessionId)) return sessionId;
    if (!(await this.store.sessionExists(sessionId))) return undefined;
    this.remember(sessionId);
    return sessionId;
  }

  /** Issues and records a new session. */
  async issue(): Promise<IssuedSession> {
    const token = Buffer.from(this.randomBytes(TOKEN_BYTES)).toString('base64url');
    const sessionId = sessionIdOf(token);
    await this.store.createSession(sessionId, this.clock().toISOString());
    this.remember(sessionId);
    return { token, sessionId };
  }

  private remember(sessionId: string): void {
    if (this.known.size >= KNOWN_SESSIONS_CACHE) {
      this.known.delete(this.known.values().next().value!);
    }
    this.known.add(sessionId);
  }
}

/** The stored, non-secret identifier of a session token. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
