import type { ImageAttachment, Message, ReplyQuote } from '../protocol/definitions';
import {
  judgeChange,
  replyQuote,
  replyRefusal,
  type ChangeTarget,
  type MessageChange,
} from '../chat/message-changes';
import { may, successor } from '../chat/moderation';
import type { LookKeys } from '../chat/nickname';
import { foldText, searchText, type SearchQuery, type SearchTerm } from '../chat/search-query';
import type { Ban, RoomInfo } from '../protocol/definitions';
import {
  holderParams,
  memberValues,
  messageValues,
  reactionsBySeq,
  systemMessage,
  toMember,
  toMessage,
  toUpload,
  uploadValues,
  userMessage,
  withoutLookKeys,
  type MemberRow,
  type MessageRow,
  type ReactionRow,
  type UploadRow,
} from './rows';
import { searchableTerms } from './search-match';
import { changes, row, rows, type Steps } from './sql-steps';
import type {
  KeeperOutcome,
  KeeperRemoval,
  Removed,
  RoleChange,
  RoomUpdate,
  AppendOutcome,
  BlobStore,
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
  SearchPage,
  SearchResult,
  Store,
  StoreCounts,
  StoredMember,
  StoredRoomPreview,
  SystemMessageDraft,
  UploadRecord,
  UserMessageDraft,
} from './store';

/**
 * What the store does, once for both SQL backends: each method as steps (`sql-steps.ts`) over
 * the statements of `sql.ts`. A backend supplies how steps run — as one transaction, or as
 * statements each complete on its own — and whatever else is its own (connections, files,
 * group commit).
 */
export abstract class SqlStore implements Store {
  /** Runs the steps as one transaction that no other write to the same rooms interleaves. */
  protected abstract transaction<T>(steps: Steps<T>): Promise<T>;
  /** Runs steps that need no transaction: each statement is complete on its own. */
  protected abstract statements<T>(steps: Steps<T>): Promise<T>;
  /** A search's terms in the room, in the dialect's full-text query language (`search-match.ts`). */
  protected abstract matchText(roomId: string, terms: readonly SearchTerm[]): string;
  abstract readonly blobs: BlobStore;
  abstract close(): Promise<void>;

  serverSecret(name: string, candidate: string): Promise<string> {
    return this.statements(storeSteps.serverSecret(name, candidate));
  }

  createRoom(
    roomId: string,
    createdAt: string,
    options?: { isPublic?: boolean; ownerSessionId?: string },
  ) {
    const { isPublic = false, ownerSessionId = null } = options ?? {};
    return this.statements(storeSteps.createRoom(roomId, createdAt, isPublic, ownerSessionId));
  }

  roomInfo(roomId: string) {
    return this.statements(storeSteps.roomInfo(roomId));
  }

  roomPreview(roomId: string, sessionId: string) {
    return this.statements(storeSteps.roomPreview(roomId, sessionId));
  }

  updateRoom(update: RoomUpdate) {
    return this.transaction(storeSteps.updateRoom(update));
  }

  setRole(change: RoleChange) {
    return this.transaction(storeSteps.setRole(change));
  }

  removeByKeeper(removal: KeeperRemoval) {
    return this.transaction(storeSteps.removeByKeeper(removal));
  }

  listBans(roomId: string, sessionId: string, now: string) {
    return this.statements(storeSteps.listBans(roomId, sessionId, now));
  }

  liftBan(roomId: string, sessionId: string, banId: string) {
    return this.transaction(storeSteps.liftBan(roomId, sessionId, banId));
  }

  listPublicRooms(limit: number): Promise<RoomSummary[]> {
    return this.statements(storeSteps.listRooms('listPublicRooms', limit));
  }

  listRooms(): Promise<RoomSummary[]> {
    return this.statements(storeSteps.listRooms('listRooms'));
  }

  deleteRoomIfEmpty(roomId: string): Promise<boolean> {
    return this.transaction(storeSteps.deleteRoomIfEmpty(roomId));
  }

  claimMember(claim: MemberClaim): Promise<ClaimOutcome> {
    return this.transaction(storeSteps.claimMember(claim));
  }

  renameMember(rename: MemberRename): Promise<RenameOutcome> {
    return this.transaction(storeSteps.renameMember(rename));
  }

  fillLookKeys(lookKeysOf: (nickname: string) => LookKeys): Promise<number> {
    return this.transaction(storeSteps.fillLookKeys(lookKeysOf));
  }

  removeMember(roomId: string, sessionId: string) {
    return this.transaction(storeSteps.removeMember(roomId, sessionId));
  }

  getMember(roomId: string, sessionId: string): Promise<StoredMember | undefined> {
    return this.statements(storeSteps.getMember(roomId, sessionId));
  }

  listMembers(roomId: string): Promise<StoredMember[]> {
    return this.statements(storeSteps.listMembers(roomId));
  }

  appendUserMessage(draft: UserMessageDraft): Promise<AppendOutcome> {
    return this.transaction(storeSteps.appendUserMessage(draft));
  }

  appendSystemMessage(draft: SystemMessageDraft): Promise<Message | undefined> {
    return this.transaction(storeSteps.appendSystemMessage(draft));
  }

  listMessages(roomId: string, page: MessagePage): Promise<MessagePageResult> {
    return this.statements(storeSteps.listMessages(roomId, page));
  }

  changeMessage(request: ChangeRequest): Promise<ChangeOutcome> {
    return this.transaction(storeSteps.changeMessage(request));
  }

  listChanges(roomId: string, afterChange: number, limit: number): Promise<ChangesPage> {
    return this.statements(storeSteps.listChanges(roomId, afterChange, limit));
  }

  searchMessages(roomId: string, query: SearchQuery, page: SearchPage): Promise<SearchResult> {
    const terms = searchableTerms(query.terms);
    const match = terms.length > 0 ? this.matchText(roomId, terms) : undefined;
    return this.statements(storeSteps.searchMessages(roomId, query.from, match, page));
  }

  saveUpload(upload: UploadRecord): Promise<'saved' | 'not-member'> {
    return this.transaction(storeSteps.saveUpload(upload));
  }

  readUpload(uploadId: string, sessionId: string): Promise<UploadRecord | undefined> {
    return this.statements(storeSteps.readUpload(uploadId, sessionId));
  }

  sweepUploads(before: string): Promise<number> {
    return this.statements(changes('deleteUnsentUploads', before));
  }

  referencedBlobs(keys: readonly string[]): Promise<Set<string>> {
    return this.statements(storeSteps.referencedBlobs(keys));
  }

  counts() {
    return this.statements(storeSteps.counts());
  }

  async ping(): Promise<void> {
    await this.statements(row('ping'));
  }
}

/** The steps of each store method; `SqlStore` says which run as a transaction. */
export const storeSteps = {
  *serverSecret(name: string, candidate: string): Steps<string> {
    yield* changes('insertSecret', name, candidate);
    return (yield* row<{ value: string }>('secret', name))!.value;
  },

  *createRoom(
    roomId: string,
    createdAt: string,
    isPublic: boolean,
    ownerSessionId: string | null,
  ): Steps<boolean> {
    // 1 and 0: SQLite has no booleans, and PostgreSQL reads '1' and '0' as a boolean's text.
    const flag = isPublic ? 1 : 0;
    return (yield* changes('insertRoom', roomId, createdAt, flag, ownerSessionId)) === 1;
  },

  *roomInfo(roomId: string) {
    const found = yield* row<RoomInfoRow>('roomInfo', roomId);
    return found && { ...toRoomInfo(found), ownerSessionId: found.owner_session_id };
  },

  *roomPreview(roomId: string, sessionId: string): Steps<StoredRoomPreview | undefined> {
    const found = yield* row<RoomPreviewRow>('roomPreview', sessionId, roomId);
    return (
      found && {
        title: found.title,
        isPublic: isTrue(found.is_public),
        memberCount: Number(found.member_count),
        isMember: isTrue(found.is_member),
      }
    );
  },

  *updateRoom(
    update: RoomUpdate,
  ): Steps<KeeperOutcome<{ room: RoomInfo; before: RoomInfo; by: string }>> {
    const { roomId, sessionId } = update;
    const keeper = yield* keeperOf(roomId, sessionId, 'settings');
    if (keeper.status !== 'done') return keeper;
    const before = toRoomInfo((yield* row<RoomInfoRow>('roomInfo', roomId))!);
    const room: RoomInfo = {
      title: update.title ?? before.title,
      topic: update.topic ?? before.topic,
      locked: update.locked ?? before.locked,
      slowModeSeconds: update.slowModeSeconds ?? before.slowModeSeconds,
    };
    const { title, topic, locked, slowModeSeconds } = room;
    yield* changes('updateRoomInfo', title, topic, locked ? 1 : 0, slowModeSeconds, roomId);
    return { status: 'done', room, before, by: keeper.member.nickname };
  },

  *setRole(
    change: RoleChange,
  ): Steps<KeeperOutcome<{ member: StoredMember; changed: boolean; by: string }>> {
    const { roomId, sessionId, targetKey, moderator } = change;
    const target = yield* row<MemberRow>('memberByKey', roomId, targetKey);
    const keeper = yield* keeperOf(roomId, sessionId, 'appoint', target);
    if (keeper.status !== 'done') return keeper;
    const role = moderator ? 'moderator' : 'member';
    const changed = toMember(target!).role !== role;
    if (changed) {
      yield* changes('setRole', moderator ? 'moderator' : null, roomId, target!.session_id);
    }
    const by = keeper.member.nickname;
    return { status: 'done', member: { ...toMember(target!), role }, changed, by };
  },

  *removeByKeeper(
    removal: KeeperRemoval,
  ): Steps<KeeperOutcome<{ member: StoredMember; remaining: number; ban?: Ban; by: string }>> {
    const { roomId, sessionId, targetKey, ban } = removal;
    const target = yield* row<MemberRow>('memberByKey', roomId, targetKey);
    const keeper = yield* keeperOf(roomId, sessionId, 'remove', target);
    if (keeper.status !== 'done') return keeper;
    const member = toMember(target!);
    yield* changes('deleteMember', roomId, member.sessionId);
    const remaining = yield* memberCount(roomId);
    const by = keeper.member.nickname;
    if (!ban) return { status: 'done', member, remaining, by };
    const stored: Ban = {
      banId: ban.banId,
      nickname: member.nickname,
      bannedBy: keeper.member.nickname,
      bannedAt: ban.bannedAt,
      until: ban.until,
    };
    yield* changes(
      'insertBan',
      roomId,
      ban.banId,
      member.sessionId,
      target!.address_key,
      member.nickname,
      stored.bannedBy,
      ban.bannedAt,
      ban.until,
    );
    return { status: 'done', member, remaining, ban: stored, by };
  },

  *listBans(roomId: string, sessionId: string, now: string): Steps<KeeperOutcome<{ bans: Ban[] }>> {
    const keeper = yield* keeperOf(roomId, sessionId, 'list-bans');
    if (keeper.status !== 'done') return keeper;
    const bans = yield* rows<BanRow>('listBans', roomId, now);
    return { status: 'done', bans: bans.map(toBan) };
  },

  *liftBan(
    roomId: string,
    sessionId: string,
    banId: string,
  ): Steps<KeeperOutcome<{ nickname: string; by: string }>> {
    const keeper = yield* keeperOf(roomId, sessionId, 'list-bans');
    if (keeper.status !== 'done') return keeper;
    const lifted = yield* row<{ nickname: string }>('deleteBan', roomId, banId);
    if (!lifted) return { status: 'no-target' };
    return { status: 'done', nickname: lifted.nickname, by: keeper.member.nickname };
  },

  *listRooms(statement: 'listRooms' | 'listPublicRooms', ...limit: number[]): Steps<RoomSummary[]> {
    const found = yield* rows<{ room_id: string; title: string; member_count: number | string }>(
      statement,
      ...limit,
    );
    return found.map((room) => ({
      roomId: room.room_id,
      memberCount: Number(room.member_count),
      ...(room.title && { title: room.title }),
    }));
  },

  *deleteRoomIfEmpty(roomId: string): Steps<boolean> {
    if (!(yield* row('lockRoom', roomId))) return false;
    if ((yield* memberCount(roomId)) !== 0) return false;
    yield* changes('deleteReactions', roomId);
    yield* changes('deleteChanges', roomId);
    yield* changes('deleteBans', roomId);
    yield* changes('deleteRoomSearch', roomId);
    yield* changes('deleteRoomUploads', roomId);
    yield* changes('deleteMessages', roomId);
    yield* changes('deleteRoom', roomId);
    return true;
  },

  /** After the room's lock: a member already, banned, locked out, a taken name, or in. */
  *claimMember(claim: MemberClaim): Steps<ClaimOutcome> {
    const { roomId, sessionId } = claim;
    if (!(yield* row('lockRoom', roomId))) return { status: 'no-room' };
    const existing = yield* row<MemberRow>('member', roomId, sessionId);
    if (existing) return { status: 'already-member', member: toMember(existing) };
    const addressKey = claim.addressKey ?? null;
    const ban = yield* row<{ until: string | null }>(
      'activeBan',
      roomId,
      sessionId,
      addressKey,
      claim.joinedAt,
    );
    if (ban) return { status: 'banned', until: ban.until };
    const room = (yield* row<RoomInfoRow>('roomInfo', roomId))!;
    if (isTrue(room.locked)) return { status: 'locked' };
    if (yield* row('nicknameHolder', ...holderParams(claim, ''))) {
      return { status: 'nickname-taken' };
    }
    // The first member of a room its owner is not in (it never came, or left) owns it.
    const empty = (yield* memberCount(roomId)) === 0;
    if (empty && room.owner_session_id !== sessionId) {
      yield* changes('setOwner', sessionId, roomId);
    }
    yield* changes('insertMember', ...memberValues(claim));
    const owner = empty || room.owner_session_id === sessionId;
    return { status: 'joined', member: withoutLookKeys(claim, owner ? 'owner' : 'member') };
  },

  *renameMember(rename: MemberRename): Steps<RenameOutcome> {
    const { roomId, sessionId, nickname, nicknameKey, lookKeys } = rename;
    if (!(yield* row('lockRoom', roomId))) return { status: 'not-member' };
    const member = yield* row<MemberRow>('member', roomId, sessionId);
    if (!member) return { status: 'not-member' };
    if (yield* row('nicknameHolder', ...holderParams(rename, sessionId))) {
      return { status: 'nickname-taken' };
    }
    const keys = [nickname, nicknameKey, lookKeys.folded, lookKeys.shown];
    yield* changes('renameMember', ...keys, roomId, sessionId);
    return { status: 'renamed', previous: member.nickname };
  },

  *fillLookKeys(lookKeysOf: (nickname: string) => LookKeys): Steps<number> {
    yield* row('lockLookKeys');
    const members = yield* rows<MemberRow>('membersWithoutLookKeys');
    for (const member of members) {
      const { room_id: roomId, session_id: sessionId } = member;
      const keys = lookKeysOf(member.nickname);
      const folded = yield* row('foldedLookKeyHolder', roomId, sessionId, keys.folded);
      const shown = yield* row('shownLookKeyHolder', roomId, sessionId, keys.shown);
      const free = [folded ? null : keys.folded, shown ? null : keys.shown];
      yield* changes('setLookKeys', ...free, roomId, sessionId);
    }
    return members.length;
  },

  /** After the room's lock; an owner leaving hands the room on (`successor`). */
  *removeMember(roomId: string, sessionId: string): Steps<Removed | undefined> {
    if (!(yield* row('lockRoom', roomId))) return undefined;
    const leaving = yield* row<MemberRow>('member', roomId, sessionId);
    if (!leaving) return undefined;
    yield* changes('deleteMember', roomId, sessionId);
    const member = toMember(leaving);
    const rest = (yield* rows<MemberRow>('listMembers', roomId)).map(toMember);
    if (member.role !== 'owner') return { member, remaining: rest.length };
    const next = successor(rest);
    if (next === undefined) return { member, remaining: 0 };
    yield* changes('setOwner', next, roomId);
    const newOwner = { ...rest.find((each) => each.sessionId === next)!, role: 'owner' as const };
    return { member, remaining: rest.length, newOwner };
  },

  *getMember(roomId: string, sessionId: string): Steps<StoredMember | undefined> {
    const member = yield* row<MemberRow>('member', roomId, sessionId);
    return member && toMember(member);
  },

  *listMembers(roomId: string): Steps<StoredMember[]> {
    return (yield* rows<MemberRow>('listMembers', roomId)).map(toMember);
  },

  /** After the room's lock: the sender, a retry's stored message, or the new one. */
  *appendUserMessage(draft: UserMessageDraft): Steps<AppendOutcome> {
    const { roomId, sessionId, clientId } = draft;
    yield* row('lockRoomWrites', roomId);
    const sender = yield* row<SenderRow>('sender', roomId, clientId, roomId, sessionId);
    if (!sender) return { status: 'not-member' };
    if (sender.stored_seq !== null) {
      const stored = yield* readMessage(roomId, Number(sender.stored_seq));
      return { status: 'stored', message: stored!, created: false };
    }
    const wait = slowModeWait(sender, draft.createdAt);
    if (wait > 0) return { status: 'slow', retryAfterMs: wait };
    let replyTo: ReplyQuote | undefined;
    if (draft.replyTo !== undefined) {
      const target = yield* row<MessageRow>('messageAt', roomId, draft.replyTo);
      const refused = replyRefusal(target && { kind: target.kind, deleted: isDeleted(target) });
      if (refused) return { status: 'refused', reason: refused };
      replyTo = replyQuote({ ...target!, seq: draft.replyTo, deleted: false });
    }
    const attachments: ImageAttachment[] = [];
    for (const uploadId of new Set(draft.attachments)) {
      const upload = yield* row<UploadRow>('unsentUpload', uploadId, roomId, sessionId);
      if (!upload) return { status: 'no-upload', uploadId };
      attachments.push(toUpload(upload).attachment);
    }
    const seq = Number(sender.next_seq);
    const message = userMessage(draft, sender.nickname, seq, { replyTo, attachments });
    yield* changes('insertMessage', ...messageValues(message, sessionId));
    for (const { id } of attachments) yield* changes('attachUpload', seq, id);
    const { author, text } = message;
    yield* changes('insertSearch', roomId, seq, foldText(author), searchText(text));
    return { status: 'stored', message, created: true };
  },

  /** After the room's lock: judges the change, then numbers and stores it. */
  *changeMessage(request: ChangeRequest): Steps<ChangeOutcome> {
    const { roomId, sessionId, seq, change, at } = request;
    yield* row('lockRoomWrites', roomId);
    const member = yield* row<MemberRow>('member', roomId, sessionId);
    if (!member) return { status: 'not-member' };
    const stored = yield* row<MessageRow>('messageAt', roomId, seq);
    const reactions = stored ? yield* rows<ReactionRow>('reactionsOf', roomId, seq) : [];
    const target = stored && changeTarget(stored, reactions, change, sessionId);
    const verdict = judgeChange(change, target, sessionId, new Date(at), toMember(member).role);
    if ('refused' in verdict) return { status: 'refused', reason: verdict.refused };
    if ('unchanged' in verdict) {
      return {
        status: 'unchanged',
        message: toMessage(stored!, reactionsBySeq(reactions).get(seq)),
      };
    }
    const latest = yield* row<{ change_seq: number | string }>('latestChange', roomId);
    const changeSeq = Number(latest!.change_seq) + 1;
    yield* changes('insertChange', roomId, changeSeq, seq);
    yield* applyChange(request, member.nickname, changeSeq, verdict.byKeeper === true);
    return { status: 'changed', message: (yield* readMessage(roomId, seq))! };
  },

  *appendSystemMessage(draft: SystemMessageDraft): Steps<Message | undefined> {
    if (!(yield* row('lockRoom', draft.roomId))) return undefined;
    const next = yield* row<{ next_seq: number | string }>('nextSeq', draft.roomId);
    const message = systemMessage(draft, Number(next!.next_seq));
    yield* changes('insertMessage', ...messageValues(message, null));
    return message;
  },

  /**
   * Reads one row beyond the page: whether it exists is `hasMore`. The change number is read
   * first, so a change made meanwhile is after it and comes again in `listChanges`.
   */
  *listMessages(roomId: string, page: MessagePage): Steps<MessagePageResult> {
    const changeSeq = yield* latestChange(roomId);
    const forward = page.afterSeq !== undefined;
    const found = forward
      ? yield* rows<MessageRow>('pageAfter', roomId, page.afterSeq, page.limit + 1)
      : yield* rows<MessageRow>(
          'pageBefore',
          roomId,
          page.beforeSeq ?? Number.MAX_SAFE_INTEGER,
          page.limit + 1,
        );
    const kept = found.slice(0, page.limit);
    if (!forward) kept.reverse();
    const [first, last] = [kept[0], kept.at(-1)];
    const reactions =
      first && last
        ? yield* rows<ReactionRow>('reactionsBetween', roomId, first.seq, last.seq)
        : [];
    const bySeq = reactionsBySeq(reactions);
    return {
      messages: kept.map((message) => toMessage(message, bySeq.get(Number(message.seq)))),
      hasMore: found.length > page.limit,
      changeSeq,
    };
  },

  /** Reads one row beyond the page; a message changed twice comes once, at its latest place. */
  *listChanges(roomId: string, afterChange: number, limit: number): Steps<ChangesPage> {
    const found = yield* rows<MessageRow & { change_number: number | string }>(
      'changesAfter',
      roomId,
      afterChange,
      limit + 1,
    );
    const page = found.slice(0, limit);
    const reached = Number(page.at(-1)?.change_number ?? afterChange);
    const reactions =
      page.length > 0
        ? yield* rows<ReactionRow>('reactionsOfChanges', roomId, roomId, afterChange, reached)
        : [];
    const bySeq = reactionsBySeq(reactions);
    const latest = new Map<number, MessageRow>();
    for (const message of page) {
      const seq = Number(message.seq);
      latest.delete(seq);
      latest.set(seq, message);
    }
    return {
      messages: [...latest].map(([seq, message]) => toMessage(message, bySeq.get(seq))),
      changeSeq: reached,
      hasMore: found.length > limit,
    };
  },

  /**
   * Reads one row beyond the page: whether it exists is `hasMore`. `match` is the terms in
   * the dialect's query language; without it, only the author filters (none: nothing found).
   */
  *searchMessages(
    roomId: string,
    from: string | undefined,
    match: string | undefined,
    page: SearchPage,
  ): Steps<SearchResult> {
    if (match === undefined && from === undefined) return { messages: [], hasMore: false };
    const before = page.beforeSeq ?? Number.MAX_SAFE_INTEGER;
    const found =
      match === undefined
        ? yield* rows<MessageRow>('searchByAuthor', roomId, from, before, page.limit + 1)
        : yield* rows<MessageRow>(
            'searchMessages',
            match,
            roomId,
            before,
            from ?? null,
            page.limit + 1,
          );
    const kept = found.slice(0, page.limit);
    const seqs = kept.map((message) => Number(message.seq));
    const reactions =
      seqs.length > 0
        ? yield* rows<ReactionRow>('reactionsAmong', roomId, JSON.stringify(seqs))
        : [];
    const bySeq = reactionsBySeq(reactions);
    return {
      messages: kept.map((message) => toMessage(message, bySeq.get(Number(message.seq)))),
      hasMore: found.length > page.limit,
    };
  },

  /** After the room's lock, so a member leaving meanwhile cannot leave an upload behind. */
  *saveUpload(upload: UploadRecord): Steps<'saved' | 'not-member'> {
    yield* row('lockRoomWrites', upload.roomId);
    if (!(yield* row('member', upload.roomId, upload.sessionId))) return 'not-member';
    yield* changes('insertUpload', ...uploadValues(upload));
    return 'saved';
  },

  *readUpload(uploadId: string, sessionId: string): Steps<UploadRecord | undefined> {
    const found = yield* row<UploadRow>('uploadForMember', sessionId, uploadId);
    return found && toUpload(found);
  },

  *referencedBlobs(keys: readonly string[]): Steps<Set<string>> {
    const list = JSON.stringify(keys);
    const found = yield* rows<{ blob_key: string }>('referencedBlobs', list, list);
    return new Set(found.map((each) => each.blob_key));
  },

  *counts(): Steps<StoreCounts> {
    const counted = yield* row<Record<keyof StoreCounts, number | string>>('counts');
    return {
      rooms: Number(counted!.rooms),
      members: Number(counted!.members),
      people: Number(counted!.people),
    };
  },
};

/** A `sender` row: the member's nickname, a retry's stored seq (null: none), the next seq. */
interface SenderRow {
  nickname: string;
  stored_seq: number | string | null;
  next_seq: number | string;
  slow_mode_seconds: number | string;
  /** When the sender last wrote, where slow mode applies to it. */
  last_sent: string | null;
}

/** How long slow mode makes the sender wait before writing at `now` (0: not at all). */
function slowModeWait(sender: SenderRow, now: string): number {
  if (sender.last_sent === null) return 0;
  const next = Date.parse(sender.last_sent) + Number(sender.slow_mode_seconds) * 1000;
  return Math.max(0, next - Date.parse(now));
}

function* memberCount(roomId: string): Steps<number> {
  return Number((yield* row<{ count: number | string }>('memberCount', roomId))!.count);
}

function* latestChange(roomId: string): Steps<number> {
  return Number((yield* row<{ change_seq: number | string }>('latestChange', roomId))!.change_seq);
}

/** A message in its current state, with its reactions. */
function* readMessage(roomId: string, seq: number): Steps<Message | undefined> {
  const stored = yield* row<MessageRow>('messageAt', roomId, seq);
  if (!stored) return undefined;
  const reactions = yield* rows<ReactionRow>('reactionsOf', roomId, seq);
  return toMessage(stored, reactionsBySeq(reactions).get(seq));
}

/** Stores a change the rules allowed, under change number `changeSeq`. */
function* applyChange(
  request: ChangeRequest,
  nickname: string,
  changeSeq: number,
  byKeeper: boolean,
): Steps<void> {
  const { roomId, sessionId, seq, change, at } = request;
  switch (change.kind) {
    case 'edit':
      yield* changes('editMessage', change.text, at, changeSeq, roomId, seq);
      yield* changes('editSearch', searchText(change.text), roomId, seq);
      return;
    case 'delete':
      // Reactions, pictures and its words in the search index go with the text: nothing
      // said stays (the pictures' bytes go at the next sweep; nobody can fetch them now).
      yield* changes('deleteMessage', at, byKeeper ? 'moderator' : null, changeSeq, roomId, seq);
      yield* changes('deleteReactionsOf', roomId, seq);
      yield* changes('deleteSearch', roomId, seq);
      yield* changes('deleteUploadsOf', roomId, seq);
      return;
    case 'react':
      if (change.on) {
        yield* changes('insertReaction', roomId, seq, change.emoji, sessionId, nickname, changeSeq);
      } else {
        yield* changes('deleteReaction', roomId, seq, change.emoji, sessionId);
      }
      yield* changes('markChanged', changeSeq, roomId, seq);
  }
}

function isDeleted(message: MessageRow): boolean {
  return message.deleted_at !== null;
}

/** What the change rules need to know of a stored message. */
function changeTarget(
  message: MessageRow,
  reactions: readonly ReactionRow[],
  change: MessageChange,
  actor: string,
): ChangeTarget {
  const emoji = change.kind === 'react' ? change.emoji : undefined;
  return {
    kind: message.kind,
    sessionId: message.session_id,
    text: message.text,
    createdAt: message.created_at,
    deleted: isDeleted(message),
    emoji: [...new Set(reactions.map((reaction) => reaction.emoji))],
    reacted: reactions.some((each) => each.emoji === emoji && each.session_id === actor),
  };
}

/** A room as a preview reads it. */
interface RoomPreviewRow {
  title: string;
  is_public: number | boolean;
  member_count: number | string;
  is_member: number | boolean;
}

/** A `rooms` row's settings and owner. */
interface RoomInfoRow {
  title: string;
  topic: string;
  locked: number | boolean;
  slow_mode_seconds: number | string;
  owner_session_id: string | null;
}

function toRoomInfo(found: RoomInfoRow): RoomInfo {
  return {
    title: found.title,
    topic: found.topic,
    locked: isTrue(found.locked),
    slowModeSeconds: Number(found.slow_mode_seconds),
  };
}

/** SQLite stores a flag as 1 or 0; PostgreSQL as a boolean. */
function isTrue(flag: number | boolean): boolean {
  return flag === true || flag === 1;
}

/** A `bans` row. */
interface BanRow {
  ban_id: string;
  nickname: string;
  banned_by: string;
  banned_at: string;
  until: string | null;
}

function toBan(found: BanRow): Ban {
  return {
    banId: found.ban_id,
    nickname: found.nickname,
    bannedBy: found.banned_by,
    bannedAt: found.banned_at,
    until: found.until,
  };
}

/**
 * After the room's lock: whether the session may do `action` (to `target`, a member row, for
 * actions on members); the acting member when it may.
 */
function* keeperOf(
  roomId: string,
  sessionId: string,
  action: Parameters<typeof may>[1],
  target?: MemberRow,
): Steps<KeeperOutcome<{ member: StoredMember }>> {
  yield* row('lockRoomWrites', roomId);
  const actor = yield* row<MemberRow>('member', roomId, sessionId);
  if (!actor) return { status: 'not-member' };
  const member = toMember(actor);
  const onMember = action === 'appoint' || action === 'remove';
  if (onMember && (!target || target.session_id === sessionId)) {
    return target ? { status: 'not-allowed' } : { status: 'no-target' };
  }
  const targetRole = target && toMember(target).role;
  if (!may(member.role, action, onMember ? targetRole : undefined)) {
    return { status: 'not-allowed' };
  }
  return { status: 'done', member };
}
