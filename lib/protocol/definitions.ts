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
  /**
   * The same for every message one session writes in a room, whatever its nickname (a keyed
   * hash, not the session): a client knows its own from the join answer's `self.authorKey`.
   */
  authorKey?: string;
  /** When the text was last edited; absent if never. */
  editedAt?: string;
  /** When the message was deleted (its text is gone); absent while it stands. */
  deletedAt?: string;
  /** Present when a moderator (or the owner) deleted it, not its author. */
  deletedBy?: 'moderator';
  /** The message this one answers, as it is now. */
  replyTo?: ReplyQuote;
  /** Emoji reactions, in the order each was first given; absent when there are none. */
  reactions?: Reaction[];
  /** Pictures, in the order they were attached; absent when none (and once deleted). */
  attachments?: ImageAttachment[];
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

/** The picture formats that can be shared. */
export type ImageType = 'image/png' | 'image/jpeg' | 'image/webp' | 'image/gif';

/**
 * A picture a message carries, as stored: enough for the log to reserve its place before it
 * loads. `/uploads/<id>` serves it (`lib/protocol/uploads.ts`), to members of the room only.
 */
export interface ImageAttachment {
  /** The upload's ID, as `POST /uploads` returned it. */
  id: string;
  /** Detected from the bytes on upload; the thumbnail is always WebP. */
  type: ImageType;
  /** Of the stored image, orientation applied. */
  width: number;
  height: number;
  /** Of the thumbnail: longest side at most 480 px, never enlarged. */
  thumbWidth: number;
  thumbHeight: number;
  /** A ThumbHash of the picture, base64: a blurred preview to draw while it loads. */
  placeholder: string;
  /** Size of the stored image, in bytes. */
  bytes: number;
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

/** What a member may do in a room: its owner, a moderator the owner named, or a member. */
export type RoomRole = 'owner' | 'moderator' | 'member';

/** A member of a room as other members see them. */
export interface Member {
  nickname: string;
  /** The key this member's messages carry (`Message.authorKey`): kept across renames. */
  authorKey: string;
  presence: Presence;
  /** Present for the owner and moderators. */
  role?: 'owner' | 'moderator';
}

/** How a room is run: what its keepers set. */
export interface RoomInfo {
  /** Empty when the room has none (it is then called by its ID). */
  title: string;
  topic: string;
  /** No new members while locked; members present stay. */
  locked: boolean;
  /** At most one message per member this often (0: off). */
  slowModeSeconds: number;
}

/** How long a ban lasts. */
export type BanLength = '10m' | '1h' | '24h' | 'permanent';

/**
 * What anyone holding a room's ID (its link) may know before joining: whether it is still
 * open and, if so, its title, whether it is public, how many are in it, and whether this
 * session is one of them (it would then go straight back in).
 */
export type RoomPreview =
  | { roomId: string; open: false }
  | {
      roomId: string;
      open: true;
      title: string;
      public: boolean;
      memberCount: number;
      member: boolean;
    };

/** A ban as the room's keepers see it in the list of bans. */
export interface Ban {
  banId: string;
  /** The nickname the banned member had. */
  nickname: string;
  bannedBy: string;
  bannedAt: string;
  /** When it ends, ISO 8601; null for a permanent ban. */
  until: string | null;
}

/** A public room as the lobby lists it. */
export interface LobbyRoom {
  roomId: string;
  memberCount: number;
  /** Present when its keepers gave it one. */
  title?: string;
}

/** Server-wide figures for the lobby, counted across every server process. */
export interface LobbyStats {
  /** Distinct people who are members of a room (one in two rooms counts once). */
  peopleInRooms: number;
  /** Rooms open, private ones included. */
  rooms: number;
}
