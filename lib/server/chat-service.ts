import { createHmac } from 'node:crypto';
import { joinedText, leftText, ownerText, renamedText } from '../chat/announcements';
import type { ChangeRefusal, MessageChange } from '../chat/message-changes';
import { checkEmoji } from '../chat/emoji';
import { checkMessageText } from '../chat/message-text';
import { checkNickname, type Nickname } from '../chat/nickname';
import { parseSearchQuery } from '../chat/search-query';
import { generateRoomId, parseRoomId, type RandomBytes } from '../chat/room-id';
import type { Message, RoomInfo, RoomPreview } from '../protocol/definitions';
import { ChatError, ErrorCode } from '../protocol/errors';
import { EDIT_WINDOW_MS } from '../protocol/limits';
import type { ChangesPage, MessagePage, Store, StoredMember } from '../store/store';

/** Sources of time and identity, injected so tests can fix them. */
export interface ChatDeps {
  store: Store;
  clock: () => Date;
  randomBytes: RandomBytes;
  newMessageId: () => string;
}

/** What a successful join changed. */
export interface JoinOutcome {
  roomId: string;
  nickname: string;
  /** Present when the session became a member now (not a reload or another tab). */
  announcement?: Message;
  members: StoredMember[];
}

/** What a leave changed. */
export interface LeaveOutcome {
  nickname: string;
  /** Absent when the room emptied and was deleted. */
  announcement?: Message;
  /** Who owns the room now, when the owner left: announced after the leave. */
  ownerAnnouncement?: Message;
  members: StoredMember[];
  roomDeleted: boolean;
}

/** A change to a stored message; `changed` is false when it already was so (a retry). */
export interface MessageChangeOutcome {
  message: Message;
  changed: boolean;
}

/** What a nickname change changed. */
export interface NicknameChange {
  nickname: string;
  /** Absent when the nickname stayed exactly the same. */
  announcement?: Message;
  members: StoredMember[];
}

const MAX_ROOM_ID_ATTEMPTS = 5;

/**
 * The chat's rules applied to stored state: rooms, members, messages. Knows nothing of
 * sockets; every failure a client may see is a `ChatError`.
 */
export class ChatService {
  private readonly secrets = new Map<string, Promise<string>>();

  constructor(private readonly deps: ChatDeps) {}

  /** Creates an empty room with a fresh random ID; private unless `isPublic`. */
  async createRoom(options: { isPublic?: boolean; ownerSessionId?: string } = {}): Promise<string> {
    for (let attempt = 0; attempt < MAX_ROOM_ID_ATTEMPTS; attempt++) {
      const roomId = generateRoomId(this.deps.randomBytes);
      if (await this.deps.store.createRoom(roomId, this.now(), options)) return roomId;
    }
    throw new Error('Could not find an unused room ID');
  }

  /**
   * Makes the session a member of the room, or returns its existing membership. `address` is
   * where it connects from: a ban keeps out new sessions from there too (kept as a keyed
   * hash only).
   */
  async join(
    sessionId: string,
    roomId: string,
    nickname: Nickname,
    address?: string,
  ): Promise<JoinOutcome> {
    const outcome = await this.deps.store.claimMember({
      roomId,
      sessionId,
      nickname: nickname.display,
      nicknameKey: nickname.key,
      lookKeys: nickname.lookKeys,
      joinedAt: this.now(),
      addressKey: address === undefined ? undefined : await this.addressKey(address),
    });
    switch (outcome.status) {
      case 'no-room':
        throw roomNotFound();
      case 'locked':
        throw new ChatError(
          ErrorCode.RoomLocked,
          'This room is locked: nobody new can join for now. Ask someone in it to unlock it.',
        );
      case 'banned':
        throw banned(outcome.until, this.deps.clock());
      case 'nickname-taken':
        throw nicknameTaken(nickname.display);
      case 'already-member':
        return {
          roomId,
          nickname: outcome.member.nickname,
          members: await this.members(roomId),
        };
      case 'joined': {
        const announcement = await this.announce(
          roomId,
          nickname.display,
          joinedText(nickname.display),
        );
        return {
          roomId,
          nickname: nickname.display,
          announcement,
          members: await this.members(roomId),
        };
      }
    }
  }

  /** Ends the session's membership; deletes the room when it was the last member. */
  async leave(sessionId: string, roomId: string): Promise<LeaveOutcome | undefined> {
    const removed = await this.deps.store.removeMember(roomId, sessionId);
    if (!removed) return undefined;
    const { nickname } = removed.member;
    if (removed.remaining === 0 && (await this.deps.store.deleteRoomIfEmpty(roomId))) {
      return { nickname, members: [], roomDeleted: true };
    }
    const announcement = await this.announce(roomId, nickname, leftText(nickname));
    const heir = removed.newOwner?.nickname;
    const ownerAnnouncement = heir ? await this.announce(roomId, heir, ownerText(heir)) : undefined;
    return {
      nickname,
      announcement,
      ownerAnnouncement,
      members: await this.members(roomId),
      roomDeleted: false,
    };
  }

  /** Gives a member a new nickname under the same rules as joining. */
  async rename(sessionId: string, roomId: string, nickname: Nickname): Promise<NicknameChange> {
    const current = await this.requireMember(sessionId, roomId);
    if (current.nickname === nickname.display) {
      return { nickname: current.nickname, members: await this.members(roomId) };
    }
    const outcome = await this.deps.store.renameMember({
      roomId,
      sessionId,
      nickname: nickname.display,
      nicknameKey: nickname.key,
      lookKeys: nickname.lookKeys,
    });
    if (outcome.status === 'not-member') throw notInRoom();
    if (outcome.status === 'nickname-taken') throw nicknameTaken(nickname.display);
    const announcement = await this.announce(
      roomId,
      nickname.display,
      renamedText(outcome.previous, nickname.display),
    );
    return { nickname: nickname.display, announcement, members: await this.members(roomId) };
  }

  /** Stores a member's message; a repeated `clientId` returns the stored one, `created: false`. */
  async send(
    sessionId: string,
    roomId: string,
    clientId: string,
    text: string,
    extras: { replyTo?: number; attachments?: readonly string[] } = {},
  ): Promise<{ message: Message; created: boolean }> {
    const outcome = await this.deps.store.appendUserMessage({
      id: this.deps.newMessageId(),
      roomId,
      sessionId,
      clientId,
      text,
      createdAt: this.now(),
      replyTo: extras.replyTo,
      attachments: extras.attachments,
      authorKey: await this.authorKey(roomId, sessionId),
    });
    if (outcome.status === 'not-member') throw notInRoom();
    if (outcome.status === 'no-upload') {
      throw new ChatError(
        ErrorCode.UploadNotFound,
        'A picture of this message is no longer waiting to be sent (it was sent already, or kept too long): add it again.',
      );
    }
    if (outcome.status === 'refused') throw refusedChange(outcome.reason, 'reply');
    if (outcome.status === 'slow') {
      // RATE_LIMITED, so clients wait and send it again, as for any rate limit.
      const seconds = Math.ceil(outcome.retryAfterMs / 1000);
      throw new ChatError(
        ErrorCode.RateLimited,
        `Slow mode is on in this room: you can write again in ${seconds} s.`,
        outcome.retryAfterMs,
      );
    }
    return { message: outcome.message, created: outcome.created };
  }

  /** Edits, deletes or reacts to a message under the rules of lib/chat/message-changes.ts. */
  async change(
    sessionId: string,
    roomId: string,
    seq: number,
    change: MessageChange,
  ): Promise<MessageChangeOutcome> {
    const outcome = await this.deps.store.changeMessage({
      roomId,
      sessionId,
      seq,
      change,
      at: this.now(),
    });
    if (outcome.status === 'not-member') throw notInRoom();
    if (outcome.status === 'refused') throw refusedChange(outcome.reason, change.kind);
    return { message: outcome.message, changed: outcome.status === 'changed' };
  }

  /** A page of history, oldest first; members only. */
  async history(sessionId: string, roomId: string, page: MessagePage) {
    await this.requireMember(sessionId, roomId);
    return this.deps.store.listMessages(roomId, page);
  }

  /** The room's messages matching `rawQuery`, newest first; members only. */
  async search(
    sessionId: string,
    roomId: string,
    rawQuery: string,
    page: { beforeSeq?: number; limit: number },
  ) {
    await this.requireMember(sessionId, roomId);
    const query = parseSearchQuery(rawQuery);
    if (!query.ok) throw new ChatError(ErrorCode.InvalidInput, query.error.message);
    return this.deps.store.searchMessages(roomId, query.value, page);
  }

  /**
   * About `limit` messages around `seq` (it and older ones first, then newer), for jumping to
   * an old message; members only.
   */
  async around(sessionId: string, roomId: string, seq: number, limit: number) {
    await this.requireMember(sessionId, roomId);
    const older = Math.ceil(limit / 2);
    const [before, after] = await Promise.all([
      this.deps.store.listMessages(roomId, { beforeSeq: seq + 1, limit: older }),
      this.deps.store.listMessages(roomId, { afterSeq: seq, limit: limit - older }),
    ]);
    return {
      messages: [...before.messages, ...after.messages],
      hasMore: before.hasMore,
      hasNewer: after.hasMore,
    };
  }

  /** The messages changed after a change number, in their current state; members only. */
  async changes(
    sessionId: string,
    roomId: string,
    afterChange: number,
    limit: number,
  ): Promise<ChangesPage> {
    await this.requireMember(sessionId, roomId);
    return this.deps.store.listChanges(roomId, afterChange, limit);
  }

  /**
   * What each room link shows before joining (`room:preview`): a room's ID is its secret, so
   * whoever holds it may see whether it is open, its title and how many are in it.
   */
  async preview(sessionId: string, rawRoomIds: readonly string[]): Promise<RoomPreview[]> {
    const roomIds = rawRoomIds.map(requireRoomId);
    return Promise.all(
      roomIds.map(async (roomId): Promise<RoomPreview> => {
        const found = await this.deps.store.roomPreview(roomId, sessionId);
        if (!found) return { roomId, open: false };
        const { title, isPublic, memberCount, isMember } = found;
        return { roomId, open: true, title, public: isPublic, memberCount, member: isMember };
      }),
    );
  }

  /** How the room is run (title, topic, lock, slow mode). */
  async roomInfo(roomId: string): Promise<RoomInfo> {
    const found = await this.deps.store.roomInfo(roomId);
    if (!found) throw roomNotFound();
    const { title, topic, locked, slowModeSeconds } = found;
    return { title, topic, locked, slowModeSeconds };
  }

  /** The room's members as stored, in joining order (presence is added by the socket layer). */
  members(roomId: string): Promise<StoredMember[]> {
    return this.deps.store.listMembers(roomId);
  }

  /** Deletes a room nobody has joined; returns whether it was deleted. */
  deleteRoomIfEmpty(roomId: string): Promise<boolean> {
    return this.deps.store.deleteRoomIfEmpty(roomId);
  }

  /** The session's membership of the room; NOT_IN_ROOM when it has none. */
  async requireMember(sessionId: string, roomId: string): Promise<StoredMember> {
    const member = await this.deps.store.getMember(roomId, sessionId);
    if (!member) throw notInRoom();
    return member;
  }

  /** The keyed hash a ban keeps of an address (the key is the server's, in the database). */
  async addressKey(address: string): Promise<string> {
    return keyedHash(await this.secret('address-key'), address, 32);
  }

  /** What a session's messages in a room carry to be told apart (`Message.authorKey`). */
  async authorKey(roomId: string, sessionId: string): Promise<string> {
    return sessionAuthorKey(await this.secret('author-key'), roomId, sessionId);
  }

  /**
   * The room's author keys as a plain function of the session, for a whole member list: the
   * secret is awaited once, each key is then one HMAC.
   */
  async authorKeys(roomId: string): Promise<(sessionId: string) => string> {
    const secret = await this.secret('author-key');
    return (sessionId) => sessionAuthorKey(secret, roomId, sessionId);
  }

  /** A key the server keeps in the database, made on first use; read once per process. */
  private secret(name: string): Promise<string> {
    let secret = this.secrets.get(name);
    if (!secret) {
      const candidate = Buffer.from(this.deps.randomBytes(32)).toString('base64url');
      secret = this.deps.store.serverSecret(name, candidate);
      this.secrets.set(name, secret);
    }
    return secret;
  }

  /** Stores a system announcement in the room's log. */
  async announce(roomId: string, author: string, text: string) {
    return this.deps.store.appendSystemMessage({
      id: this.deps.newMessageId(),
      roomId,
      author,
      text,
      createdAt: this.now(),
    });
  }

  private now(): string {
    return this.deps.clock().toISOString();
  }
}

/** Parses a room ID from a payload, or fails with INVALID_INPUT. */
export function requireRoomId(raw: string): string {
  const parsed = parseRoomId(raw);
  if (!parsed.ok) throw new ChatError(ErrorCode.InvalidInput, parsed.error.message);
  return parsed.value;
}

/** Checks a nickname from a payload, or fails with INVALID_INPUT. */
export function requireNickname(raw: string): Nickname {
  const checked = checkNickname(raw);
  if (!checked.ok) throw new ChatError(ErrorCode.InvalidInput, checked.error.message);
  return checked.value;
}

/** Checks message text from a payload, or fails with INVALID_INPUT. */
export function requireMessageText(raw: string, options?: { captionOnly?: boolean }): string {
  const checked = checkMessageText(raw, options);
  if (!checked.ok) throw new ChatError(ErrorCode.InvalidInput, checked.error.message);
  return checked.value;
}

/** Checks a reaction's emoji from a payload, or fails with INVALID_INPUT. */
export function requireEmoji(raw: string): string {
  const checked = checkEmoji(raw);
  if (!checked.ok) throw new ChatError(ErrorCode.InvalidInput, checked.error.message);
  return checked.value;
}

const EDIT_WINDOW_HOURS = EDIT_WINDOW_MS / 3_600_000;

/** The failure for a change (or a reply) the rules refused, worded for what was tried. */
function refusedChange(reason: ChangeRefusal, tried: MessageChange['kind'] | 'reply'): ChatError {
  switch (reason) {
    case 'not-found':
      return new ChatError(
        ErrorCode.MessageNotFound,
        tried === 'reply'
          ? 'The message you are replying to is not in this room.'
          : 'That message is not in this room.',
      );
    case 'not-yours':
      return new ChatError(
        ErrorCode.NotYourMessage,
        tried === 'delete'
          ? 'You can only delete your own messages.'
          : 'You can only edit your own messages.',
      );
    case 'deleted':
      return new ChatError(
        ErrorCode.MessageDeleted,
        tried === 'reply'
          ? 'That message was deleted, so it cannot be replied to.'
          : 'That message was deleted.',
      );
    case 'edit-window-closed':
      return new ChatError(
        ErrorCode.EditWindowClosed,
        `A message can be edited for ${EDIT_WINDOW_HOURS} hours after it was sent; this one is older.`,
      );
    case 'too-many-reactions':
      return new ChatError(
        ErrorCode.TooManyReactions,
        'This message has as many different reactions as it can take. Add one of those instead.',
      );
  }
}

/** An HMAC-SHA256 of `value` under `key`, cut to `length` characters of base64url. */
function keyedHash(key: string, value: string, length: number): string {
  return createHmac('sha256', key).update(value).digest('base64url').slice(0, length);
}

/** A session's author key in a room under the server's author-key secret. */
function sessionAuthorKey(secret: string, roomId: string, sessionId: string): string {
  return keyedHash(secret, `${roomId}\n${sessionId}`, 16);
}

/** The refusal of a banned session's join: how long the ban still lasts. */
function banned(until: string | null, now: Date): ChatError {
  if (until === null) {
    return new ChatError(ErrorCode.Banned, 'You are banned from this room.');
  }
  const leftMs = Math.max(0, Date.parse(until) - now.getTime());
  const minutes = Math.ceil(leftMs / 60_000);
  const left =
    minutes < 90
      ? `${minutes} more minute${minutes === 1 ? '' : 's'}`
      : `${Math.ceil(minutes / 60)} more hours`;
  return new ChatError(ErrorCode.Banned, `You are banned from this room for ${left}.`, leftMs);
}

function roomNotFound(): ChatError {
  return new ChatError(
    ErrorCode.RoomNotFound,
    'There is no room with that ID. It may have closed when everyone left.',
  );
}

function nicknameTaken(nickname: string): ChatError {
  return new ChatError(
    ErrorCode.NicknameTaken,
    `Someone in this room is already called “${nickname}”. Please pick another nickname.`,
  );
}

/** The failure for a request that needs room membership the session does not have. */
export function notInRoom(): ChatError {
  return new ChatError(ErrorCode.NotInRoom, 'You are not in this room. Join it first.');
}
