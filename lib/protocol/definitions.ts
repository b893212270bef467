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

/** A member of a room as other members see them. */
export interface Member {
  nickname: string;
}
