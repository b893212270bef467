import type { Readable } from 'node:stream';
import type { Ban, ImageAttachment, Message, RoomInfo, RoomRole } from '../protocol/definitions';
import type { ChangeRefusal, MessageChange } from '../chat/message-changes';
import type { LookKeys } from '../chat/nickname';
import type { SearchQuery } from '../chat/search-query';

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

  /**
   * Creates an empty room (private unless `isPublic`), owned by `ownerSessionId` if given;
   * false when the ID is already taken.
   */
  createRoom(
    roomId: string,
    createdAt: string,
    options?: { isPublic?: boolean; ownerSessionId?: string },
  ): Promise<boolean>;
  /** How the room is run, and who owns it; undefined for no such room. */
  roomInfo(roomId: string): Promise<(RoomInfo & { ownerSessionId: string | null }) | undefined>;
  /** What a room link shows before joining; undefined for no such room. */
  roomPreview(roomId: string, sessionId: string): Promise<StoredRoomPreview | undefined>;
  /** Changes the room's settings, if the session's role allows (`may(…, 'settings')`). */
  updateRoom(
    update: RoomUpdate,
  ): Promise<KeeperOutcome<{ room: RoomInfo; before: RoomInfo; by: string }>>;
  /** Makes a member a moderator or a member again; the owner only. */
  setRole(
    change: RoleChange,
  ): Promise<KeeperOutcome<{ member: StoredMember; changed: boolean; by: string }>>;
  /**
   * Takes a member out of the room now (all its tabs), and with `ban` keeps its session and
   * the address it joined from out until the ban ends; under the rules of `may(…, 'remove')`.
   */
  removeByKeeper(
    removal: KeeperRemoval,
  ): Promise<KeeperOutcome<{ member: StoredMember; remaining: number; ban?: Ban; by: string }>>;
  /** The room's bans in force at `now`; keepers only. */
  listBans(roomId: string, sessionId: string, now: string): Promise<KeeperOutcome<{ bans: Ban[] }>>;
  /** Lifts a ban; keepers only. Says whose ban it was, and who lifted it. */
  liftBan(
    roomId: string,
    sessionId: string,
    banId: string,
  ): Promise<KeeperOutcome<{ nickname: string; by: string }>>;
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
  /**
   * Removes a member; returns who it was, how many members remain, and if it owned the room,
   * who owns it now (`successor` of lib/chat/moderation.ts; none when the room emptied).
   */
  removeMember(roomId: string, sessionId: string): Promise<Removed | undefined>;
  getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined>;
  /** Members in the order they joined. */
  listMembers(roomId: string): Promise<StoredMember[]>;

  /**
   * Stores a member's message under the next sequence number, authored by the member's current
   * nickname. Idempotent: the same (room, session, clientId) returns the stored message with
   * `created: false`. A reply names a message that exists and stands (`replyRefusal`).
   */
  appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome>;
  /** Stores a system announcement under the next sequence number. */
  appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined>;
  /**
   * A page of messages in their current state, oldest first, with the room's latest change
   * number read before the page: every change after it is newer than the page.
   */
  listMessages(roomId: string, page: MessagePage): Promise<MessagePageResult>;
  /**
   * Edits, deletes or reacts to a stored message under the rules of `judgeChange`, as one
   * transaction: the change gets the room's next change number, which the message carries.
   */
  changeMessage(request: ChangeRequest): Promise<ChangeOutcome>;
  /**
   * The messages changed after change number `afterChange`, in the order of their latest
   * change, each once and in its current state; `changeSeq` is where the page ends.
   */
  listChanges(roomId: string, afterChange: number, limit: number): Promise<ChangesPage>;
  /**
   * The room's user messages that match every term of the query, newest first, in their
   * current state as `listMessages` returns them: edited ones by their current text, deleted
   * ones and system notices never. With `query.from`, only those whose author — the nickname
   * they were sent under, which a later rename leaves as it was — folds to it.
   */
  searchMessages(roomId: string, query: SearchQuery, page: SearchPage): Promise<SearchResult>;

  /**
   * Where pictures' bytes live, each under its SHA-256 (`UploadRecord.imageKey`): written
   * before the upload that names them, and swept once no upload does.
   */
  readonly blobs: BlobStore;
  /** Keeps a picture a member uploaded to a room, to attach to a message; not for others. */
  saveUpload(upload: UploadRecord): Promise<'saved' | 'not-member'>;
  /** An upload, if the session is a member of its room (sent or not yet). */
  readUpload(uploadId: string, sessionId: string): Promise<UploadRecord | undefined>;
  /** Deletes uploads stored before `before` that no message carries; returns how many. */
  sweepUploads(before: string): Promise<number>;
  /** Which of `keys` an upload still names (the rest may go from the blob store). */
  referencedBlobs(keys: readonly string[]): Promise<Set<string>>;

  /** How many rooms, memberships and people in rooms exist (for metrics and the lobby). */
  counts(): Promise<StoreCounts>;
  /** Resolves when the store can serve requests; rejects otherwise (readiness checks). */
  ping(): Promise<void>;
  /** Releases connections and files. */
  close(): Promise<void>;
}

/** A room as the lobby lists it. */
export interface RoomSummary {
  roomId: string;
  memberCount: number;
  /** Present when its keepers gave it one. */
  title?: string;
}

/** What the store holds, counted. */
export interface StoreCounts {
  rooms: number;
  /** Memberships: a session in two rooms counts twice. */
  members: number;
  /** Distinct sessions that are a member of at least one room. */
  people: number;
}

/** A member as stored: the session that holds the nickname, the nickname, and its role. */
export interface StoredRoomPreview {
  title: string;
  isPublic: boolean;
  memberCount: number;
  /** Whether the session asking is a member. */
  isMember: boolean;
}

export interface StoredMember {
  roomId: string;
  sessionId: string;
  nickname: string;
  nicknameKey: string;
  joinedAt: string;
  role: RoomRole;
}

export interface MemberClaim extends Omit<StoredMember, 'role'> {
  lookKeys: LookKeys;
  /** The keyed hash of the address the session joins from (bans keep it out too). */
  addressKey?: string;
}

export type ClaimOutcome =
  | { status: 'joined'; member: StoredMember }
  | { status: 'already-member'; member: StoredMember }
  | { status: 'nickname-taken' }
  | { status: 'no-room' }
  | { status: 'locked' }
  | { status: 'banned'; until: string | null };

export interface Removed {
  member: StoredMember;
  remaining: number;
  newOwner?: StoredMember;
}

/** What a keeper's request came to: done, or why not. */
export type KeeperOutcome<T> =
  | ({ status: 'done' } & T)
  | { status: 'not-member' }
  | { status: 'not-allowed' }
  | { status: 'no-target' };

export interface RoomUpdate {
  roomId: string;
  sessionId: string;
  title?: string;
  topic?: string;
  locked?: boolean;
  slowModeSeconds?: number;
}

export interface RoleChange {
  roomId: string;
  sessionId: string;
  /** The nickname key of the member to change. */
  targetKey: string;
  moderator: boolean;
}

export interface KeeperRemoval {
  roomId: string;
  sessionId: string;
  targetKey: string;
  ban?: { banId: string; bannedAt: string; until: string | null };
}

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
  /** The sequence number of the message this one answers. */
  replyTo?: number;
  /** The author's key in this room (`Message.authorKey`). */
  authorKey?: string;
  /** IDs of this session's unsent uploads in the room, in the order to show them. */
  attachments?: readonly string[];
}

/** A picture as stored: its facts for clients, who sent it where, and its blobs' keys. */
export interface UploadRecord {
  attachment: ImageAttachment;
  roomId: string;
  sessionId: string;
  createdAt: string;
  /** The SHA-256 (hex) of the stored picture, and of its thumbnail: their blob keys. */
  imageKey: string;
  thumbKey: string;
}

/** Bytes by key, written whole or not at all. */
export interface BlobStore {
  /** Stores the bytes under `key` (a retry or the same bytes again is harmless). */
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes under `key`, to stream; undefined when there are none. */
  read(key: string): Promise<{ size: number; stream(): Readable } | undefined>;
  /**
   * Deletes blobs stored before `before` that `referenced` does not name (it is asked with
   * batches of keys); returns how many went.
   */
  sweep(before: Date, referenced: (keys: string[]) => Promise<Set<string>>): Promise<number>;
}

export interface SystemMessageDraft {
  id: string;
  roomId: string;
  author: string;
  text: string;
  createdAt: string;
}

export type AppendOutcome =
  | { status: 'stored'; message: Message; created: boolean }
  | { status: 'not-member' }
  | { status: 'refused'; reason: ChangeRefusal }
  /** Slow mode: the sender wrote too recently; it may write again in `retryAfterMs`. */
  | { status: 'slow'; retryAfterMs: number }
  /** An attachment names no unsent upload of this session in this room. */
  | { status: 'no-upload'; uploadId: string };

export interface MessagePageResult {
  messages: Message[];
  hasMore: boolean;
  /** The room's latest change number (0: none yet) when the page was read. */
  changeSeq: number;
}

/** A change to a stored message by a member, at a time (the edit time, the rules' now). */
export interface ChangeRequest {
  roomId: string;
  sessionId: string;
  seq: number;
  change: MessageChange;
  at: string;
}

export type ChangeOutcome =
  | { status: 'changed'; message: Message }
  /** The message already was as asked (a retry): nothing was stored, nobody need hear. */
  | { status: 'unchanged'; message: Message }
  | { status: 'refused'; reason: ChangeRefusal }
  | { status: 'not-member' };

export interface ChangesPage {
  messages: Message[];
  /** The change number this page reaches (`afterChange` when it is empty). */
  changeSeq: number;
  hasMore: boolean;
}

/** Which search results to read: the newest `limit` before `beforeSeq` (or overall). */
export interface SearchPage {
  beforeSeq?: number;
  limit: number;
}

export interface SearchResult {
  /** Newest first. */
  messages: Message[];
  /** Whether older matches exist beyond the page (ask again with the last seq as `beforeSeq`). */
  hasMore: boolean;
}

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
