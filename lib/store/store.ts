import type { Message } from '../protocol/definitions';
import type { LookKeys } from '../chat/nickname';

/**
 * Everything livechat keeps: rooms, members (nickname reservations) and messages.
 * The chat logic reaches state only through this interface, so backends are interchangeable.
 * Each method is atomic on its own; none leaves a half-done change behind.
 */
export interface Store {
  /**
   * The secret stored under `name`, storing `candidate` first if there is none yet. Atomic:
   * every process sharing the database gets the same value.
   */
  serverSecret(name: string, candidate: string): Promise<string>;

  /** Creates an empty room (private unless `isPublic`); false when the ID is already taken. */
  createRoom(roomId: string, createdAt: string, options?: { isPublic?: boolean }): Promise<boolean>;
  /** Up to `limit` public rooms with their member counts, most members first. */
  listPublicRooms(limit: number): Promise<RoomSummary[]>;
  /** Every room, with how many members it holds (used to re-arm timers after a restart). */
  listRooms(): Promise<Array<{ roomId: string; memberCount: number }>>;
  /**
   * Deletes the room with its messages and members in one step, but only while it has no
   * members; returns whether it was deleted.
   */
  deleteRoomIfEmpty(roomId: string): Promise<boolean>;

  /**
   * Takes a nickname in a room for a session, unless the session is a member already or
   * another member holds its case key or one of its look-alike keys.
   */
  claimMember(claim: MemberClaim): Promise<ClaimOutcome>;
  /** Gives a member a new nickname, if no other member holds any of its keys. */
  renameMember(rename: MemberRename): Promise<RenameOutcome>;
  /**
   * Fills the look-alike keys of members stored before they existed, earliest joiner first;
   * a key another member of the room holds stays empty. Returns how many members were looked at.
   */
  fillLookKeys(lookKeysOf: (nickname: string) => LookKeys): Promise<number>;
  /** Removes a member; returns who it was and how many members remain. */
  removeMember(
    roomId: string,
    sessionId: string,
  ): Promise<{ member: StoredMember; remaining: number } | undefined>;
  getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined>;
  /** Members in the order they joined. */
  listMembers(roomId: string): Promise<StoredMember[]>;

  /**
   * Stores a member's message under the next sequence number, authored by the member's current
   * nickname. Idempotent: the same (room, session, clientId) returns the stored message with
   * `created: false`.
   */
  appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome>;
  /** Stores a system announcement under the next sequence number. */
  appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined>;
  /** A page of messages, oldest first. */
  listMessages(
    roomId: string,
    page: MessagePage,
  ): Promise<{ messages: Message[]; hasMore: boolean }>;

  /** How many rooms and members exist (for metrics). */
  counts(): Promise<{ rooms: number; members: number }>;
  /** Resolves when the store can serve requests; rejects otherwise (readiness checks). */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}

/** A room as the lobby lists it. */
export interface RoomSummary {
  roomId: string;
  memberCount: number;
}

/** A member as stored: the session that holds the nickname, and the nickname. */
export interface StoredMember {
  roomId: string;
  sessionId: string;
  nickname: string;
  nicknameKey: string;
  joinedAt: string;
}

export interface MemberClaim extends StoredMember {
  lookKeys: LookKeys;
}

export type ClaimOutcome =
  | { status: 'joined'; member: StoredMember }
  | { status: 'already-member'; member: StoredMember }
  | { status: 'nickname-taken' }
  | { status: 'no-room' };

export interface MemberRename {
  roomId: string;
  sessionId: string;
  nickname: string;
  nicknameKey: string;
  lookKeys: LookKeys;
}

export type RenameOutcome =
  { status: 'renamed'; previous: string } | { status: 'nickname-taken' } | { status: 'not-member' };

export interface UserMessageDraft {
  id: string;
  roomId: string;
  sessionId: string;
  clientId: string;
  text: string;
  createdAt: string;
}

export interface SystemMessageDraft {
  id: string;
  roomId: string;
  author: string;
  text: string;
  createdAt: string;
}

export type AppendOutcome =
  { status: 'stored'; message: Message; created: boolean } | { status: 'not-member' };

/**
 * Which messages to read, always returned oldest first: the newest `limit` before `beforeSeq`
 * (or overall), or with `afterSeq` the oldest `limit` after it. `hasMore` then says whether
 * more exist beyond the page in the direction read (older, or newer with `afterSeq`).
 */
export interface MessagePage {
  beforeSeq?: number;
  afterSeq?: number;
  limit: number;
}
