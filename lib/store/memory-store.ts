import {
  judgeChange,
  replyQuote,
  replyRefusal,
  type ChangeTarget,
  type MessageChange,
} from '../chat/message-changes';
import type { LookKeys } from '../chat/nickname';
import { withoutLookKeys } from './rows';
import type { Message, Reaction } from '../protocol/definitions';
import type {
  AppendOutcome,
  ChangeOutcome,
  ChangeRequest,
  ChangesPage,
  ClaimOutcome,
  MemberClaim,
  MemberRename,
  MessagePage,
  MessagePageResult,
  RenameOutcome,
  RoomSummary,
  Store,
  StoredMember,
  SystemMessageDraft,
  UserMessageDraft,
} from './store';

interface RoomState {
  /** By session ID, with each member's look-alike keys. */
  members: Map<string, MemberClaim>;
  /** messages[i] has seq i + 1: sequence numbers are gap-free from 1. */
  messages: Message[];
  byClientKey: Map<string, Message>;
  /** Who wrote each user message, by seq. */
  authors: Map<number, string>;
  /** Each message's reactions: emoji → (session → nickname), in the order given. */
  reactions: Map<number, Map<string, Map<string, string>>>;
  /** changes[i] is change number i + 1: the seq of the message it changed. */
  changes: number[];
  isPublic: boolean;
}

/**
 * A store held in process memory. Every method runs to completion without awaiting, which
 * makes each one atomic. Nothing survives a restart: for tests and as a reference backend.
 */
export class MemoryStore implements Store {
  private readonly secrets = new Map<string, string>();
  private readonly rooms = new Map<string, RoomState>();

  async serverSecret(name: string, candidate: string): Promise<string> {
    if (!this.secrets.has(name)) this.secrets.set(name, candidate);
    return this.secrets.get(name)!;
  }

  async createRoom(
    roomId: string,
    _createdAt: string,
    options?: { isPublic?: boolean },
  ): Promise<boolean> {
    if (this.rooms.has(roomId)) return false;
    this.rooms.set(roomId, {
      members: new Map(),
      messages: [],
      byClientKey: new Map(),
      authors: new Map(),
      reactions: new Map(),
      changes: [],
      isPublic: options?.isPublic ?? false,
    });
    return true;
  }

  async listPublicRooms(limit: number): Promise<RoomSummary[]> {
    return [...this.rooms]
      .filter(([, room]) => room.isPublic)
      .map(([roomId, room]) => ({ roomId, memberCount: room.members.size }))
      .sort(byMembersThenId)
      .slice(0, limit);
  }

  async listRooms(): Promise<Array<{ roomId: string; memberCount: number }>> {
    return [...this.rooms].map(([roomId, room]) => ({ roomId, memberCount: room.members.size }));
  }

  async deleteRoomIfEmpty(roomId: string): Promise<boolean> {
    const room = this.rooms.get(roomId);
    if (!room || room.members.size > 0) return false;
    return this.rooms.delete(roomId);
  }

  async claimMember(claim: MemberClaim): Promise<ClaimOutcome> {
    const room = this.rooms.get(claim.roomId);
    if (!room) return { status: 'no-room' };
    const existing = room.members.get(claim.sessionId);
    if (existing) return { status: 'already-member', member: withoutLookKeys(existing) };
    if (holderOf(room, claim)) return { status: 'nickname-taken' };
    room.members.set(claim.sessionId, { ...claim });
    return { status: 'joined', member: withoutLookKeys(claim) };
  }

  async renameMember(rename: MemberRename): Promise<RenameOutcome> {
    const room = this.rooms.get(rename.roomId);
    const member = room?.members.get(rename.sessionId);
    if (!room || !member) return { status: 'not-member' };
    const holder = holderOf(room, rename, rename.sessionId);
    if (holder) return { status: 'nickname-taken' };
    const previous = member.nickname;
    member.nickname = rename.nickname;
    member.nicknameKey = rename.nicknameKey;
    member.lookKeys = rename.lookKeys;
    return { status: 'renamed', previous };
  }

  /** Nothing outlives the process here, so every member has its keys already. */
  async fillLookKeys(): Promise<number> {
    return 0;
  }

  async removeMember(roomId: string, sessionId: string) {
    const room = this.rooms.get(roomId);
    const member = room?.members.get(sessionId);
    if (!room || !member) return undefined;
    room.members.delete(sessionId);
    return { member: withoutLookKeys(member), remaining: room.members.size };
  }

  async getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined> {
    const member = this.rooms.get(roomId)?.members.get(sessionId);
    return member && withoutLookKeys(member);
  }

  async listMembers(roomId: string): Promise<StoredMember[]> {
    return [...(this.rooms.get(roomId)?.members.values() ?? [])].map(withoutLookKeys);
  }

  async appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome> {
    const room = this.rooms.get(draft.roomId);
    const member = room?.members.get(draft.sessionId);
    if (!room || !member) return { status: 'not-member' };
    const clientKey = `${draft.sessionId}\n${draft.clientId}`;
    const stored = room.byClientKey.get(clientKey);
    if (stored) return { status: 'stored', message: current(room, stored.seq)!, created: false };
    const target = draft.replyTo === undefined ? undefined : current(room, draft.replyTo);
    if (draft.replyTo !== undefined) {
      const refused = replyRefusal(target && { kind: target.kind, deleted: !!target.deletedAt });
      if (refused) return { status: 'refused', reason: refused };
    }
    const message: Message = {
      id: draft.id,
      roomId: draft.roomId,
      seq: room.messages.length + 1,
      kind: 'user',
      author: member.nickname,
      text: draft.text,
      createdAt: draft.createdAt,
      clientId: draft.clientId,
    };
    if (target) message.replyTo = replyQuote({ ...target, deleted: false });
    room.messages.push(message);
    room.byClientKey.set(clientKey, message);
    room.authors.set(message.seq, draft.sessionId);
    return { status: 'stored', message: { ...message }, created: true };
  }

  async appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined> {
    const room = this.rooms.get(draft.roomId);
    if (!room) return undefined;
    const message: Message = {
      id: draft.id,
      roomId: draft.roomId,
      seq: room.messages.length + 1,
      kind: 'system',
      author: draft.author,
      text: draft.text,
      createdAt: draft.createdAt,
    };
    room.messages.push(message);
    return message;
  }

  async listMessages(roomId: string, page: MessagePage): Promise<MessagePageResult> {
    const room = this.rooms.get(roomId);
    const all = room?.messages ?? [];
    const changeSeq = room?.changes.length ?? 0;
    const read = (start: number, end: number) =>
      all.slice(start, Math.max(end, start)).map((message) => current(room!, message.seq)!);
    if (page.afterSeq !== undefined) {
      const start = Math.min(page.afterSeq, all.length);
      const end = Math.min(all.length, start + page.limit);
      return { messages: read(start, end), hasMore: end < all.length, changeSeq };
    }
    const end = Math.min(all.length, (page.beforeSeq ?? Number.MAX_SAFE_INTEGER) - 1);
    const start = Math.max(0, end - page.limit);
    return { messages: read(start, end), hasMore: start > 0, changeSeq };
  }

  async changeMessage(request: ChangeRequest): Promise<ChangeOutcome> {
    const { roomId, sessionId, seq, change, at } = request;
    const room = this.rooms.get(roomId);
    const member = room?.members.get(sessionId);
    if (!room || !member) return { status: 'not-member' };
    const stored = room.messages[seq - 1];
    const target = stored && changeTarget(room, stored, change, sessionId);
    const verdict = judgeChange(change, target, sessionId, new Date(at));
    if ('refused' in verdict) return { status: 'refused', reason: verdict.refused };
    if ('unchanged' in verdict) return { status: 'unchanged', message: current(room, seq)! };
    room.changes.push(seq);
    const message = stored!;
    message.changeSeq = room.changes.length;
    if (change.kind === 'edit') {
      message.text = change.text;
      message.editedAt = at;
    } else if (change.kind === 'delete') {
      message.text = '';
      message.deletedAt = at;
      room.reactions.delete(seq);
    } else {
      const byEmoji = room.reactions.get(seq) ?? new Map<string, Map<string, string>>();
      room.reactions.set(seq, byEmoji);
      const givers = byEmoji.get(change.emoji) ?? new Map<string, string>();
      if (change.on) givers.set(sessionId, member.nickname);
      else givers.delete(sessionId);
      if (givers.size > 0) byEmoji.set(change.emoji, givers);
      else byEmoji.delete(change.emoji);
    }
    return { status: 'changed', message: current(room, seq)! };
  }

  async listChanges(roomId: string, afterChange: number, limit: number): Promise<ChangesPage> {
    const room = this.rooms.get(roomId);
    const changed = room?.changes.slice(afterChange, afterChange + limit) ?? [];
    const latest = new Set<number>();
    for (const seq of changed) {
      latest.delete(seq);
      latest.add(seq);
    }
    return {
      messages: [...latest].map((seq) => current(room!, seq)!),
      changeSeq: afterChange + changed.length,
      hasMore: afterChange + changed.length < (room?.changes.length ?? 0),
    };
  }

  async counts() {
    let members = 0;
    for (const room of this.rooms.values()) members += room.members.size;
    return { rooms: this.rooms.size, members };
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}

/** A copy of the message at `seq` as it is now, with its reactions and reply quote. */
function current(room: RoomState, seq: number): Message | undefined {
  const stored = room.messages[seq - 1];
  if (!stored) return undefined;
  const message = { ...stored };
  const reactions: Reaction[] = [...(room.reactions.get(seq) ?? [])].map(([emoji, givers]) => ({
    emoji,
    nicknames: [...givers.values()],
  }));
  if (reactions.length > 0) message.reactions = reactions;
  if (stored.replyTo) {
    const target = room.messages[stored.replyTo.seq - 1]!;
    message.replyTo = replyQuote({ ...target, deleted: !!target.deletedAt });
  }
  return message;
}

/** What the change rules need to know of a stored message. */
function changeTarget(
  room: RoomState,
  message: Message,
  change: MessageChange,
  actor: string,
): ChangeTarget {
  const reactions = room.reactions.get(message.seq);
  return {
    kind: message.kind,
    sessionId: room.authors.get(message.seq) ?? null,
    text: message.text,
    createdAt: message.createdAt,
    deleted: !!message.deletedAt,
    emoji: [...(reactions?.keys() ?? [])],
    reacted: change.kind === 'react' && !!reactions?.get(change.emoji)?.has(actor),
  };
}

/** A member other than `except` holding any of the keys of `nickname`. */
function holderOf(
  room: RoomState,
  nickname: { nicknameKey: string; lookKeys: LookKeys },
  except?: string,
): MemberClaim | undefined {
  for (const member of room.members.values()) {
    if (member.sessionId === except) continue;
    if (
      member.nicknameKey === nickname.nicknameKey ||
      member.lookKeys.folded === nickname.lookKeys.folded ||
      member.lookKeys.shown === nickname.lookKeys.shown
    ) {
      return member;
    }
  }
  return undefined;
}

/** Lobby order: most members first, then by room ID so the order is stable. */
function byMembersThenId(a: RoomSummary, b: RoomSummary): number {
  return b.memberCount - a.memberCount || (a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : 0);
}
