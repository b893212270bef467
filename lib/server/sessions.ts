import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RandomBytes } from '../chat/room-id';
import type { Store } from '../store/store';

/** Name of the cookie that carries a browser's session token. */
export const SESSION_COOKIE = 'livechat_session';

/** Random part of a token: 192 bits. */
const NONCE_BYTES = 24;
const SECRET_BYTES = 32;
/** Name of the signing key in the store, shared by every process on one database. */
const SECRET_NAME = 'session-signing-key';
/** `<nonce>.<signature>`, both base64url: 32 + 1 + 43 characters. */
const SIGNED_TOKEN = /^([A-Za-z0-9_-]{32})\.([A-Za-z0-9_-]{43})$/;

/** A freshly issued session: the secret token for the client, the ID the server keeps. */
export interface IssuedSession {
  token: string;
  sessionId: string;
}

/**
 * Anonymous sessions. A token is a random nonce signed with a key kept in the store, so the
 * server can tell its own tokens from forged ones without writing anything when it issues one
 * (a flood of new visitors cannot fill the disk) and every process sharing the database
 * accepts them, after restarts too. Handlers see only the session ID, a SHA-256 of the token,
 * so a leaked log line or database row cannot be replayed as a token.
 */
export class Sessions {
  private key: Promise<Buffer> | undefined;

  constructor(
    private readonly store: Store,
    private readonly randomBytes: RandomBytes,
  ) {}

  /** The session ID for a token the server issued, or undefined for anything else. */
  async resolve(token: unknown): Promise<string | undefined> {
    if (typeof token !== 'string') return undefined;
    const signed = SIGNED_TOKEN.exec(token);
    if (signed) {
      // Compared as text, not as decoded bytes: the last base64url character carries two
      // unused bits, so four spellings decode to the same signature, and each would hash to a
      // session ID of its own. Only the spelling the server issued is accepted.
      const expected = Buffer.from(sign(await this.signingKey(), signed[1]!).toString('base64url'));
      return timingSafeEqual(Buffer.from(signed[2]!), expected) ? sessionIdOf(token) : undefined;
    }
    return undefined;
  }

  /** Issues a new session. */
  async issue(): Promise<IssuedSession> {
    const nonce = Buffer.from(this.randomBytes(NONCE_BYTES)).toString('base64url');
    const signature = sign(await this.signingKey(), nonce).toString('base64url');
    const token = `${nonce}.${signature}`;
    return { token, sessionId: sessionIdOf(token) };
  }

  /** The signing key: created once per database, read once per process. */
  private signingKey(): Promise<Buffer> {
    this.key ??= this.store
      .serverSecret(SECRET_NAME, Buffer.from(this.randomBytes(SECRET_BYTES)).toString('base64url'))
      .then((value) => Buffer.from(value, 'base64url'))
      .catch((error: unknown) => {
        this.key = undefined; // a failed read is tried again by the next request
        throw error;
      });
    return this.key;
  }
}

function sign(key: Buffer, nonce: string): Buffer {
  return createHmac('sha256', key).update(nonce).digest();
}

/** The stored, non-secret identifier of a session token. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
