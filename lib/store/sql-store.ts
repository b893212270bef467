import type { Message, ReplyQuote } from '../protocol/definitions';
import {
  judgeChange,
  replyQuote,
  replyRefusal,
  type ChangeTarget,
  type MessageChange,
} from '../chat/message-changes';
import type { LookKeys } from '../chat/nickname';
import {
  holderParams,
  memberValues,
  messageValues,
  reactionsBySeq,
  systemMessage,
  toMember,
  toMessage,
  userMessage,
  withoutLookKeys,
  type MemberRow,
  type MessageRow,
  type ReactionRow,
} from './rows';
import { changes, row, rows, type Steps } from './sql-steps';
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
  abstract close(): Promise<void>;

  serverSecret(name: string, candidate: string): Promise<string> {
    return this.statements(storeSteps.serverSecret(name, candidate));
  }

  createRoom(roomId: string, createdAt: string, options?: { isPublic?: boolean }) {
    return this.statements(storeSteps.createRoom(roomId, createdAt, options?.isPublic ?? false));
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

  *createRoom(roomId: string, createdAt: string, isPublic: boolean): Steps<boolean> {
    // 1 and 0: SQLite has no booleans, and PostgreSQL reads '1' and '0' as a boolean's text.
    return (yield* changes('insertRoom', roomId, createdAt, isPublic ? 1 : 0)) === 1;
  },

  *listRooms(statement: 'listRooms' | 'listPublicRooms', ...limit: number[]): Steps<RoomSummary[]> {
    const found = yield* rows<{ room_id: string; member_count: number | string }>(
      statement,
      ...limit,
    );
    return found.map((room) => ({ roomId: room.room_id, memberCount: Number(room.member_count) }));
  },

  *deleteRoomIfEmpty(roomId: string): Steps<boolean> {
    if (!(yield* row('lockRoom', roomId))) return false;
    if ((yield* memberCount(roomId)) !== 0) return false;
    yield* changes('deleteReactions', roomId);
    yield* changes('deleteChanges', roomId);
    yield* changes('deleteMessages', roomId);
    yield* changes('deleteRoom', roomId);
    return true;
  },

  *claimMember(claim: MemberClaim): Steps<ClaimOutcome> {
    if (!(yield* row('lockRoom', claim.roomId))) return { status: 'no-room' };
    const existing = yield* row<MemberRow>('member', claim.roomId, claim.sessionId);
    if (existing) return { status: 'already-member', member: toMember(existing) };
    if (yield* row('nicknameHolder', ...holderParams(claim, ''))) {
      return { status: 'nickname-taken' };
    }
    yield* changes('insertMember', ...memberValues(claim));
    return { status: 'joined', member: withoutLookKeys(claim) };
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

  *removeMember(
    roomId: string,
    sessionId: string,
  ): Steps<{ member: StoredMember; remaining: number } | undefined> {
    if (!(yield* row('lockRoom', roomId))) return undefined;
    const removed = yield* row<MemberRow>('deleteMember', roomId, sessionId);
    if (!removed) return undefined;
    return { member: toMember(removed), remaining: yield* memberCount(roomId) };
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
    let replyTo: ReplyQuote | undefined;
    if (draft.replyTo !== undefined) {
      const target = yield* row<MessageRow>('messageAt', roomId, draft.replyTo);
      const refused = replyRefusal(target && { kind: target.kind, deleted: isDeleted(target) });
      if (refused) return { status: 'refused', reason: refused };
      replyTo = replyQuote({ ...target!, seq: draft.replyTo, deleted: false });
    }
    const message = userMessage(draft, sender.nickname, Number(sender.next_seq), replyTo);
    yield* changes('insertMessage', ...messageValues(message, sessionId));
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
    const verdict = judgeChange(change, target, sessionId, new Date(at));
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
    yield* applyChange(request, member.nickname, changeSeq);
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

  *counts(): Steps<{ rooms: number; members: number }> {
    const counted = yield* row<{ rooms: number | string; members: number | string }>('counts');
    return { rooms: Number(counted!.rooms), members: Number(counted!.members) };
  },
};

/** A `sender` row: the member's nickname, a retry's stored seq (null: none), the next seq. */
interface SenderRow {
  nickname: string;
  stored_seq: number | string | null;
  next_seq: number | string;
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
function* applyChange(request: ChangeRequest, nickname: string, changeSeq: number): Steps<void> {
  const { roomId, sessionId, seq, change, at } = request;
  switch (change.kind) {
    case 'edit':
      yield* changes('editMessage', change.text, at, changeSeq, roomId, seq);
      return;
    case 'delete':
      // Reactions go with the text: nothing of what was said stays.
      yield* changes('deleteMessage', at, changeSeq, roomId, seq);
      yield* changes('deleteReactionsOf', roomId, seq);
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
