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
  /** No message has that sequence number in the room (or it is a system notice). */
  MessageNotFound: 'MESSAGE_NOT_FOUND',
  /** Only a message's author may edit or delete it. */
  NotYourMessage: 'NOT_YOUR_MESSAGE',
  /** The message is too old to edit (`EDIT_WINDOW_MS` after it was sent). */
  EditWindowClosed: 'EDIT_WINDOW_CLOSED',
  /** The message was deleted: it cannot be edited, reacted to or replied to. */
  MessageDeleted: 'MESSAGE_DELETED',
  /** The message already carries `MAX_REACTIONS_PER_MESSAGE` distinct emoji. */
  TooManyReactions: 'TOO_MANY_REACTIONS',
  /** The session's role in the room does not allow this (only keepers may moderate). */
  NotAllowed: 'NOT_ALLOWED',
  /** No member of the room has that nickname. */
  MemberNotFound: 'MEMBER_NOT_FOUND',
  /** The session (or its address) is banned from the room; the sentence says until when. */
  Banned: 'BANNED',
  /** The room is locked: no new members for now. */
  RoomLocked: 'ROOM_LOCKED',
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
  /** An upload is bigger than the server takes (`MAX_UPLOAD_BYTES`, 10 MB by default). */
  FileTooLarge: 'FILE_TOO_LARGE',
  /** The file is not a PNG, JPEG, WebP or GIF picture (told from its bytes), or is broken. */
  UnsupportedImage: 'UNSUPPORTED_IMAGE',
  /** The picture has more pixels than the server decodes (a decompression bomb, say). */
  ImageTooBig: 'IMAGE_TOO_BIG',
  /**
   * No upload of this session in this room has that ID, or it is attached to another message
   * already, or was swept unsent: upload the picture again.
   */
  UploadNotFound: 'UPLOAD_NOT_FOUND',
  /** An upload came from another site's page (its `Origin` is not this server's). */
  CrossSite: 'CROSS_SITE',
  /** Something failed on the server; the request may be retried. */
  Internal: 'INTERNAL',
  /**
   * Decided by the client, never sent by the server: no answer came in time, or the
   * connection dropped while waiting. The request may or may not have taken effect.
   */
  Timeout: 'TIMEOUT',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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

/**
 * The one outcome type: what every acknowledgement carries, and what chat rules and client
 * actions return. A failure always names an `ErrorCode` and says what is wrong in a sentence.
 */
export type Result<T extends object = object> = Ok<T> | Failure;

/** A result that carries one value: a checked input, or what a client action produced. */
export type ValueResult<T> = Result<{ value: T }>;

/** A value that passed its rule. */
export function valid<T>(value: T): ValueResult<T> {
  return { ok: true, value };
}

/** Input that failed its rule, with the reason a person can read. */
export function invalid(reason: string): Failure {
  return failure(ErrorCode.InvalidInput, reason);
}

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
