import { randomUUID } from 'node:crypto';
import {
  lockText,
  moderatorText,
  removedText,
  slowModeText,
  titleText,
  topicText,
  unbannedText,
} from '../chat/announcements';
import { banEnds, checkRoomTitle, checkRoomTopic } from '../chat/moderation';
import type { Nickname } from '../chat/nickname';
import type { Ban, BanLength, Message, RoomInfo } from '../protocol/definitions';
import { ChatError, ErrorCode } from '../protocol/errors';
import type { KeeperOutcome, Store, StoredMember } from '../store/store';
import { notInRoom, type ChatService } from './chat-service';

/** What the keepers of a room change: its settings, roles and members, each announced. */
export interface RoomKeepingDeps {
  store: Store;
  chat: Pick<ChatService, 'announce' | 'members'>;
  clock: () => Date;
  newBanId?: () => string;
}

/** The settings a keeper asks for, as they came in (unchecked text). */
export interface RoomSettingsInput {
  title?: string;
  topic?: string;
  locked?: boolean;
  slowModeSeconds?: number;
}

/** A member taken out of a room by its keepers. */
export interface Removal {
  member: StoredMember;
  by: string;
  ban?: Ban;
  announcement?: Message;
  members: StoredMember[];
}

/**
 * The room's keepers at work: the owner and its moderators set the room's title, topic, lock
 * and slow mode, name moderators (the owner), remove and ban members, and lift bans. Who may
 * do what is `may` in lib/chat/moderation.ts, applied by the store in the same transaction
 * as the change; every change is announced in the room's log.
 */
export class RoomKeeping {
  constructor(private readonly deps: RoomKeepingDeps) {}

  async update(sessionId: string, roomId: string, input: RoomSettingsInput) {
    const outcome = done(
      await this.deps.store.updateRoom({
        roomId,
        sessionId,
        ...input,
        title: input.title === undefined ? undefined : required(checkRoomTitle(input.title)),
        topic: input.topic === undefined ? undefined : required(checkRoomTopic(input.topic)),
      }),
      'Only the room’s owner and moderators can change how it is run.',
    );
    const { room, before, by } = outcome;
    const texts = settingsTexts(by, before, room);
    const announcements: Message[] = [];
    for (const text of texts) {
      const stored = await this.deps.chat.announce(roomId, by, text);
      if (stored) announcements.push(stored);
    }
    return { room, announcements };
  }

  async setRole(sessionId: string, roomId: string, nickname: Nickname, moderator: boolean) {
    const outcome = done(
      await this.deps.store.setRole({ roomId, sessionId, targetKey: nickname.key, moderator }),
      'Only the room’s owner can name moderators.',
      nickname.display,
    );
    const text = moderatorText(outcome.by, outcome.member.nickname, moderator);
    const announcement = outcome.changed
      ? await this.deps.chat.announce(roomId, outcome.by, text)
      : undefined;
    return { announcement, members: await this.deps.chat.members(roomId) };
  }

  async remove(
    sessionId: string,
    roomId: string,
    nickname: Nickname,
    length?: BanLength,
  ): Promise<Removal> {
    const now = this.deps.clock();
    const ban = length && {
      banId: (this.deps.newBanId ?? randomUUID)(),
      bannedAt: now.toISOString(),
      until: banEnds(length, now),
    };
    const outcome = done(
      await this.deps.store.removeByKeeper({ roomId, sessionId, targetKey: nickname.key, ban }),
      'Only the room’s owner and moderators can remove members, and not each other.',
      nickname.display,
    );
    const { member, by } = outcome;
    const text = removedText(by, member.nickname, length);
    const announcement = await this.deps.chat.announce(roomId, by, text);
    return {
      member,
      by,
      ban: outcome.ban,
      announcement,
      members: await this.deps.chat.members(roomId),
    };
  }

  async listBans(sessionId: string, roomId: string): Promise<Ban[]> {
    const now = this.deps.clock().toISOString();
    return done(
      await this.deps.store.listBans(roomId, sessionId, now),
      'Only the room’s owner and moderators can see its bans.',
    ).bans;
  }

  async liftBan(sessionId: string, roomId: string, banId: string) {
    const outcome = await this.deps.store.liftBan(roomId, sessionId, banId);
    if (outcome.status === 'no-target') {
      throw new ChatError(ErrorCode.InvalidInput, 'That ban is not in force any more.');
    }
    const { nickname, by } = done(outcome, 'Only the room’s owner and moderators can lift bans.');
    return this.deps.chat.announce(roomId, by, unbannedText(by, nickname));
  }
}

/** The announcements of a settings change: one for each setting that changed. */
function settingsTexts(by: string, before: RoomInfo, after: RoomInfo): string[] {
  const texts: string[] = [];
  if (after.title !== before.title) texts.push(titleText(by, after.title));
  if (after.topic !== before.topic) texts.push(topicText(by, after.topic));
  if (after.locked !== before.locked) texts.push(lockText(by, after.locked));
  if (after.slowModeSeconds !== before.slowModeSeconds) {
    texts.push(slowModeText(by, after.slowModeSeconds));
  }
  return texts;
}

/** The outcome of a keeper's request when done; else the failure it is. */
function done<T>(outcome: KeeperOutcome<T>, notAllowed: string, target?: string) {
  switch (outcome.status) {
    case 'done':
      return outcome;
    case 'not-member':
      throw notInRoom();
    case 'not-allowed':
      throw new ChatError(ErrorCode.NotAllowed, notAllowed);
    case 'no-target':
      throw new ChatError(
        ErrorCode.MemberNotFound,
        `Nobody in this room is called “${target ?? ''}”.`,
      );
  }
}

function required<T>(checked: { ok: true; value: T } | { ok: false; error: { message: string } }) {
  if (!checked.ok) throw new ChatError(ErrorCode.InvalidInput, checked.error.message);
  return checked.value;
}
