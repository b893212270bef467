/** Shapes of the data the server sends: messages and members. */

/** `user` messages are written by members; `system` ones announce joins, leaves and renames. */
export type MessageKind = 'user' | 'system';

/** A stored chat message, as every client sees it. */
export interface Message {
  /** Server-assigned, unique across rooms. */
  id: string;
  roomId: string;
  /** Per-room sequence number: gap-free, strictly increasing, the order everyone shows. */
  seq: number;
  kind: MessageKind;
  /** The author's nickname when the message was written (for `system`: whom it is about). */
  author: string;
  /** Markdown source; empty once deleted. */
  text: string;
  /** Server time, ISO 8601. */
  createdAt: string;
  /** The sender's idempotency key, present on `user` messages. */
  clientId?: string;
  /** When the text was last edited; absent if never. */
  editedAt?: string;
  /** When the message was deleted (its text is gone); absent while it stands. */
  deletedAt?: string;
  /** The message this one answers, as it is now. */
  replyTo?: ReplyQuote;
  /** Emoji reactions, in the order each was first given; absent when there are none. */
  reactions?: Reaction[];
  /**
   * The room's change number of this message's latest edit, deletion or reaction; absent if
   * never changed. Of two copies of a message, the one with the higher number is newer.
   */
  changeSeq?: number;
}

/** The start of a replied-to message, for a one-line quote. */
export interface ReplyQuote {
  seq: number;
  author: string;
  /** The first words of its current text; empty when it was deleted. */
  excerpt: string;
  /** Present when the replied-to message has been deleted. */
  deleted?: true;
}

/** One emoji on a message and who gave it, earliest first. */
export interface Reaction {
  emoji: string;
  /** Nicknames when they reacted; the count is their number. */
  nicknames: string[];
}

/**
 * How present a member is: `active` with at least one tab in use, `idle` when every tab is
 * hidden or untouched for a while, `reconnecting` while no tab is connected (the grace period).
 */
export type Presence = 'active' | 'idle' | 'reconnecting';

/** A member of a room as other members see them. */
export interface Member {
  nickname: string;
  presence: Presence;
}

/** A public room as the lobby lists it. */
export interface LobbyRoom {
  roomId: string;
  memberCount: number;
}

/** Server-wide figures for the lobby: distinct people connected, and rooms open. */
export interface LobbyStats {
  online: number;
  rooms: number;
}
