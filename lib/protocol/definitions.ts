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
  text: string;
  /** Server time, ISO 8601. */
  createdAt: string;
  /** The sender's idempotency key, present on `user` messages. */
  clientId?: string;
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
