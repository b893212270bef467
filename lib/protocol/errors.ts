/** Error codes a client can receive in a failed acknowledgement. */
export const ErrorCode = {
  /** The payload is malformed: wrong type, missing or unknown field, bad value. */
  InvalidInput: 'INVALID_INPUT',
  /** No room has that ID (or it has been deleted). */
  RoomNotFound: 'ROOM_NOT_FOUND',
  /** Another member of the room already uses that nickname. */
  NicknameTaken: 'NICKNAME_TAKEN',
  /** The request needs room membership and the session is not a member. */
  NotInRoom: 'NOT_IN_ROOM',
  /** Too many requests; `retryAfterMs` says when to try again. */
  RateLimited: 'RATE_LIMITED',
  /**
   * The server is stopping (a restart or deploy) and took no action: send the request again
   * once reconnected, in about `retryAfterMs`.
   */
  Restarting: 'RESTARTING',
  /**
   * Sent in a `connect_error` (as `error.data`), not an acknowledgement: the address holds as
   * many connections as the server allows; try again in about `retryAfterMs`.
   */
  TooManyConnections: 'TOO_MANY_CONNECTIONS',
  /** Something failed on the server; the request may be retried. */
  Internal: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Every known error code, for clients and tests that check membership. */
export const ERROR_CODES: readonly ErrorCode[] = Object.values(ErrorCode);

/** The error half of an acknowledgement: a code for programs, a sentence for people. */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  retryAfterMs?: number;
}

/** A successful acknowledgement: `ok: true` plus the request's result fields. */
export type Ok<T extends object = object> = { ok: true } & T;

/** A failed acknowledgement. */
export interface Failure {
  ok: false;
  error: ErrorBody;
}

/** What every acknowledgement carries. */
export type Result<T extends object = object> = Ok<T> | Failure;

/** Builds a failed acknowledgement. */
export function failure(code: ErrorCode, message: string, retryAfterMs?: number): Failure {
  const error: ErrorBody =
    retryAfterMs === undefined ? { code, message } : { code, message, retryAfterMs };
  return { ok: false, error };
}

/**
 * A failure raised inside the server's chat logic and turned into a `Failure` at the edge.
 * Anything else thrown is answered as `INTERNAL` and logged.
 */
export class ChatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ChatError';
  }

  /** The acknowledgement this error answers with. */
  toFailure(): Failure {
    return failure(this.code, this.message, this.retryAfterMs);
  }
}
