import { replyQuote } from '../chat/message-changes';
import type {
  ImageAttachment,
  ImageType,
  Message,
  Reaction,
  ReplyQuote,
  RoomRole,
} from '../protocol/definitions';
import type {
  MemberClaim,
  StoredMember,
  SystemMessageDraft,
  UploadRecord,
  UserMessageDraft,
} from './store';

/**
 * A message as both SQL backends read it (`MESSAGE_READ` in sql.ts): its row, and the start
 * of the message it replies to. PostgreSQL's BIGINT comes as a string.
 */
export interface MessageRow {
  id: string;
  room_id: string;
  seq: number | string;
  kind: 'user' | 'system';
  author: string;
  text: string;
  created_at: string;
  client_id: string | null;
  session_id: string | null;
  author_key: string | null;
  edited_at: string | null;
  deleted_at: string | null;
  deleted_by: 'moderator' | null;
  reply_to_seq: number | string | null;
  change_seq: number | string | null;
  /** The pictures' facts, a JSON array of `ImageAttachment`; null when none. */
  attachments: string | null;
  reply_kind: 'user' | 'system' | null;
  reply_author: string | null;
  reply_text: string | null;
  reply_deleted_at: string | null;
}

/** A `reactions` row. */
export interface ReactionRow {
  seq: number | string;
  emoji: string;
  nickname: string;
  session_id: string;
}

/** A `members` row, with its role in the room where read with it (`MEMBER_READ`). */
export interface MemberRow {
  room_id: string;
  session_id: string;
  nickname: string;
  nickname_key: string;
  joined_at: string;
  address_key: string | null;
  room_role?: RoomRole;
}

/** A new member's columns, in the order `insertMember` lists them. */
export function memberValues(claim: MemberClaim): unknown[] {
  const { roomId, sessionId, nickname, nicknameKey, lookKeys, joinedAt } = claim;
  const { folded, shown } = lookKeys;
  return [
    roomId,
    sessionId,
    nickname,
    nicknameKey,
    folded,
    shown,
    joinedAt,
    claim.addressKey ?? null,
  ];
}

/** A member as the store interface returns it: without its look-alike keys. */
export function withoutLookKeys(member: MemberClaim, role: RoomRole = 'member'): StoredMember {
  const { roomId, sessionId, nickname, nicknameKey, joinedAt } = member;
  return { roomId, sessionId, nickname, nicknameKey, joinedAt, role };
}

/**
 * The parameters of the query for a member other than `except` holding any key of
 * `nickname`: room, except, case key, folded look key, shown look key.
 */
export function holderParams(
  nickname: Pick<MemberClaim, 'roomId' | 'nicknameKey' | 'lookKeys'>,
  except: string,
): [string, string, string, string, string] {
  const { roomId, nicknameKey, lookKeys } = nickname;
  return [roomId, except, nicknameKey, lookKeys.folded, lookKeys.shown];
}

/** A members row as the store interface describes it. */
export function toMember(row: MemberRow): StoredMember {
  return {
    roomId: row.room_id,
    sessionId: row.session_id,
    nickname: row.nickname,
    nicknameKey: row.nickname_key,
    joinedAt: row.joined_at,
    role: row.room_role ?? 'member',
  };
}

/** A message as clients see it; optional fields only where they apply. */
export function toMessage(row: MessageRow, reactions: Reaction[] = []): Message {
  const message: Message = {
    id: row.id,
    roomId: row.room_id,
    seq: Number(row.seq),
    kind: row.kind,
    author: row.author,
    text: row.text,
    createdAt: row.created_at,
  };
  if (row.client_id !== null) message.clientId = row.client_id;
  if (row.author_key !== null) message.authorKey = row.author_key;
  if (row.edited_at !== null) message.editedAt = row.edited_at;
  if (row.deleted_at !== null) message.deletedAt = row.deleted_at;
  if (row.deleted_by !== null) message.deletedBy = row.deleted_by;
  if (row.reply_to_seq !== null) {
    message.replyTo = replyQuote({
      seq: Number(row.reply_to_seq),
      author: row.reply_author ?? '',
      text: row.reply_text ?? '',
      deleted: row.reply_deleted_at !== null || row.reply_author === null,
    });
  }
  if (reactions.length > 0) message.reactions = reactions;
  if (row.change_seq !== null) message.changeSeq = Number(row.change_seq);
  if (row.attachments !== null)
    message.attachments = JSON.parse(row.attachments) as ImageAttachment[];
  return message;
}

/** Reactions grouped by message seq, then by emoji in the order each was first given. */
export function reactionsBySeq(found: readonly ReactionRow[]): Map<number, Reaction[]> {
  const bySeq = new Map<number, Map<string, string[]>>();
  for (const reaction of found) {
    const seq = Number(reaction.seq);
    const emoji = bySeq.get(seq) ?? new Map<string, string[]>();
    bySeq.set(seq, emoji);
    const nicknames = emoji.get(reaction.emoji) ?? [];
    emoji.set(reaction.emoji, nicknames);
    nicknames.push(reaction.nickname);
  }
  return new Map(
    [...bySeq].map(([seq, emoji]) => [
      seq,
      [...emoji].map(([each, nicknames]) => ({ emoji: each, nicknames })),
    ]),
  );
}

/** A member's message as stored under `seq`, authored by the member's current nickname. */
export function userMessage(
  draft: UserMessageDraft,
  author: string,
  seq: number,
  extras: { replyTo?: ReplyQuote; attachments?: ImageAttachment[] },
): Message {
  const { id, roomId, text, createdAt, clientId, authorKey } = draft;
  const message: Message = { id, roomId, seq, kind: 'user', author, text, createdAt, clientId };
  if (authorKey !== undefined) message.authorKey = authorKey;
  if (extras.replyTo) message.replyTo = extras.replyTo;
  if (extras.attachments?.length) message.attachments = extras.attachments;
  return message;
}

/** An announcement as stored under `seq`. */
export function systemMessage(draft: SystemMessageDraft, seq: number): Message {
  const { id, roomId, author, text, createdAt } = draft;
  return { id, roomId, seq, kind: 'system', author, text, createdAt };
}

/** A message's columns, in the order `insertMessage` lists them. */
export function messageValues(message: Message, sessionId: string | null): unknown[] {
  const { roomId, seq, id, kind, author, text, createdAt, clientId, replyTo, authorKey } = message;
  const replySeq = replyTo?.seq ?? null;
  const ids = [sessionId, clientId ?? null, replySeq, authorKey ?? null];
  const attachments = message.attachments ? JSON.stringify(message.attachments) : null;
  return [roomId, seq, id, kind, author, text, createdAt, ...ids, attachments];
}

/** An `uploads` row. */
export interface UploadRow {
  upload_id: string;
  room_id: string;
  session_id: string;
  created_at: string;
  type: ImageType;
  width: number | string;
  height: number | string;
  thumb_width: number | string;
  thumb_height: number | string;
  placeholder: string;
  bytes: number | string;
  image_key: string;
  thumb_key: string;
  message_seq: number | string | null;
}

/** A stored upload's columns, in the order `insertUpload` lists them. */
export function uploadValues(upload: UploadRecord): unknown[] {
  const { attachment: a } = upload;
  return [
    a.id,
    upload.roomId,
    upload.sessionId,
    upload.createdAt,
    a.type,
    a.width,
    a.height,
    a.thumbWidth,
    a.thumbHeight,
    a.placeholder,
    a.bytes,
    upload.imageKey,
    upload.thumbKey,
  ];
}

export function toUpload(row: UploadRow): UploadRecord {
  return {
    roomId: row.room_id,
    sessionId: row.session_id,
    createdAt: row.created_at,
    imageKey: row.image_key,
    thumbKey: row.thumb_key,
    attachment: {
      id: row.upload_id,
      type: row.type,
      width: Number(row.width),
      height: Number(row.height),
      thumbWidth: Number(row.thumb_width),
      thumbHeight: Number(row.thumb_height),
      placeholder: row.placeholder,
      bytes: Number(row.bytes),
    },
  };
}
