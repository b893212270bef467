import type { Message } from '../protocol/definitions';
import type { MemberClaim, StoredMember, SystemMessageDraft, UserMessageDraft } from './store';

/** A `messages` row as both SQL backends return it (PostgreSQL's BIGINT comes as a string). */
export interface MessageRow {
  id: string;
  room_id: string;
  seq: number | string;
  kind: 'user' | 'system';
  author: string;
  text: string;
  created_at: string;
  client_id: string | null;
}

/** A `members` row. */
export interface MemberRow {
  room_id: string;
  session_id: string;
  nickname: string;
  nickname_key: string;
  joined_at: string;
}

/** A new member's columns, in the order `insertMember` lists them. */
export function memberValues(
  claim: MemberClaim,
): [string, string, string, string, string, string, string] {
  const { roomId, sessionId, nickname, nicknameKey, lookKeys, joinedAt } = claim;
  return [roomId, sessionId, nickname, nicknameKey, lookKeys.folded, lookKeys.shown, joinedAt];
}

/** A member as the store interface returns it: without its look-alike keys. */
export function withoutLookKeys(member: MemberClaim): StoredMember {
  const { roomId, sessionId, nickname, nicknameKey, joinedAt } = member;
  return { roomId, sessionId, nickname, nicknameKey, joinedAt };
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
  };
}

/** A messages row as clients see it; `clientId` only where there is one. */
export function toMessage(row: MessageRow): Message {
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
  return message;
}

/** A member's message as stored under `seq`, authored by the member's current nickname. */
export function userMessage(draft: UserMessageDraft, author: string, seq: number): Message {
  const { id, roomId, text, createdAt, clientId } = draft;
  return { id, roomId, seq, kind: 'user', author, text, createdAt, clientId };
}

/** An announcement as stored under `seq`. */
export function systemMessage(draft: SystemMessageDraft, seq: number): Message {
  const { id, roomId, author, text, createdAt } = draft;
  return { id, roomId, seq, kind: 'system', author, text, createdAt };
}

/** A message's columns, in the order `insertMessage` lists them. */
export function messageValues(message: Message, sessionId: string | null): unknown[] {
  const { roomId, seq, id, kind, author, text, createdAt, clientId } = message;
  return [roomId, seq, id, kind, author, text, createdAt, sessionId, clientId ?? null];
}
