import { z } from 'zod';
import { NOTHING_TO_CHANGE_SENTENCE, ONE_DIRECTION_SENTENCE } from './input-errors';
import { ClientEvent, type ClientToServerEvents } from './events';
import { UPLOAD_ID_PATTERN } from './uploads';
import {
  MAX_ATTACHMENTS,
  MAX_CHANGES_PAGE,
  MAX_EMOJI_LENGTH,
  MAX_HISTORY_PAGE,
  MAX_PREVIEW_ROOMS,
  MAX_SEARCH_PAGE,
  MAX_RAW_STRING_LENGTH,
  MAX_SLOW_MODE_SECONDS,
} from './limits';

/**
 * Structural schemas for client → server payloads. They check shape, types and raw sizes;
 * the chat rules (lib/chat) then normalise and check nicknames, room IDs and message text.
 * Every object is strict: an unknown field is INVALID_INPUT. What a failure says to a person
 * is worded per field in input-errors.ts, not by the schema library.
 */

const rawString = z.string().max(MAX_RAW_STRING_LENGTH);
const roomIdField = z.string().min(1).max(200);
const seqField = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
/** A message's sequence number (they start at 1). */
const messageSeq = seqField.min(1);
const uploadIdField = z.string().regex(UPLOAD_ID_PATTERN);

export const roomCreatePayload = z.strictObject({
  /** Listed in the lobby when true; rooms are private by default. */
  public: z.boolean().optional(),
});

export const roomJoinPayload = z.strictObject({
  roomId: roomIdField,
  nickname: rawString,
});

export const roomLeavePayload = z.strictObject({
  roomId: roomIdField,
});

export const roomPreviewPayload = z.strictObject({
  roomIds: z.array(roomIdField).min(1).max(MAX_PREVIEW_ROOMS),
});

export const messageSendPayload = z.strictObject({
  roomId: roomIdField,
  clientId: z.uuid().transform((value) => value.toLowerCase()),
  text: rawString,
  /** The message this one answers. */
  replyTo: messageSeq.optional(),
  /** Pictures uploaded beforehand (`POST /uploads`), by upload ID; the text may then be empty. */
  attachments: z.array(uploadIdField).min(1).max(MAX_ATTACHMENTS).optional(),
});

export const messageEditPayload = z.strictObject({
  roomId: roomIdField,
  seq: messageSeq,
  /** The whole new text, under the same rules as a send. */
  text: rawString,
});

export const messageDeletePayload = z.strictObject({
  roomId: roomIdField,
  seq: messageSeq,
});

export const reactionSetPayload = z.strictObject({
  roomId: roomIdField,
  seq: messageSeq,
  emoji: z.string().min(1).max(MAX_EMOJI_LENGTH),
  /** Whether this member's reaction should be there: the same request twice is one change. */
  on: z.boolean(),
});

export const messageChangesPayload = z.strictObject({
  roomId: roomIdField,
  /** The changes after this change number (the `changeSeq` a join or page ended at). */
  afterChange: seqField,
  limit: z.number().int().min(1).max(MAX_CHANGES_PAGE).optional(),
});

export const messageHistoryPayload = z
  .strictObject({
    roomId: roomIdField,
    /** The newest `limit` messages older than this sequence number. */
    beforeSeq: seqField.optional(),
    /** The oldest `limit` messages newer than this sequence number (catching up). */
    afterSeq: seqField.optional(),
    /** About `limit` messages around this one, it included (jumping to an old message). */
    aroundSeq: messageSeq.optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional(),
  })
  .refine(
    (page) =>
      [page.beforeSeq, page.afterSeq, page.aroundSeq].filter((seq) => seq !== undefined).length <=
      1,
    { message: ONE_DIRECTION_SENTENCE },
  );

export const messageSearchPayload = z.strictObject({
  roomId: roomIdField,
  /** Words, "phrases" and from:nickname; checked and parsed by lib/chat/search-query.ts. */
  query: rawString,
  /** The next page: results older than this sequence number. */
  beforeSeq: messageSeq.optional(),
  limit: z.number().int().min(1).max(MAX_SEARCH_PAGE).optional(),
});

export const roomUpdatePayload = z
  .strictObject({
    roomId: roomIdField,
    /** Empty clears it. */
    title: rawString.optional(),
    topic: rawString.optional(),
    locked: z.boolean().optional(),
    slowModeSeconds: z.number().int().min(0).max(MAX_SLOW_MODE_SECONDS).optional(),
  })
  .refine(
    (update) =>
      update.title !== undefined ||
      update.topic !== undefined ||
      update.locked !== undefined ||
      update.slowModeSeconds !== undefined,
    { message: NOTHING_TO_CHANGE_SENTENCE },
  );

export const memberRolePayload = z.strictObject({
  roomId: roomIdField,
  nickname: rawString,
  /** Make the member a moderator (true) or a member again (false). */
  moderator: z.boolean(),
});

export const memberRemovePayload = z.strictObject({
  roomId: roomIdField,
  nickname: rawString,
  /** Also keep the session (and its address) out for this long. */
  ban: z.enum(['10m', '1h', '24h', 'permanent']).optional(),
});

export const banListPayload = z.strictObject({
  roomId: roomIdField,
});

export const banLiftPayload = z.strictObject({
  roomId: roomIdField,
  banId: z.string().min(1).max(100),
});

export const nicknameChangePayload = z.strictObject({
  roomId: roomIdField,
  nickname: rawString,
});

export const typingSetPayload = z.strictObject({
  roomId: roomIdField,
  typing: z.boolean(),
});

export const presenceSetPayload = z.strictObject({
  idle: z.boolean(),
});

export const pingPayload = z.strictObject({});

export type RoomCreatePayload = z.input<typeof roomCreatePayload>;
export type RoomJoinPayload = z.input<typeof roomJoinPayload>;
export type RoomLeavePayload = z.input<typeof roomLeavePayload>;
export type MessageSendPayload = z.input<typeof messageSendPayload>;
export type MessageHistoryPayload = z.input<typeof messageHistoryPayload>;
export type MessageEditPayload = z.input<typeof messageEditPayload>;
export type MessageDeletePayload = z.input<typeof messageDeletePayload>;
export type ReactionSetPayload = z.input<typeof reactionSetPayload>;
export type MessageChangesPayload = z.input<typeof messageChangesPayload>;
export type RoomUpdatePayload = z.input<typeof roomUpdatePayload>;
export type MemberRolePayload = z.input<typeof memberRolePayload>;
export type MemberRemovePayload = z.input<typeof memberRemovePayload>;
export type BanListPayload = z.input<typeof banListPayload>;
export type BanLiftPayload = z.input<typeof banLiftPayload>;
export type NicknameChangePayload = z.input<typeof nicknameChangePayload>;
export type TypingSetPayload = z.input<typeof typingSetPayload>;
export type PresenceSetPayload = z.input<typeof presenceSetPayload>;
export type PingPayload = z.input<typeof pingPayload>;
export type RoomPreviewPayload = z.input<typeof roomPreviewPayload>;
export type MessageSearchPayload = z.input<typeof messageSearchPayload>;

/**
 * The schema of every request, keyed by event: the server checks each payload against its
 * entry before any handler runs. An event without a schema, or a schema accepting another
 * shape than the event's payload type, does not compile.
 */
export const requestSchemas = {
  [ClientEvent.RoomCreate]: roomCreatePayload,
  [ClientEvent.RoomJoin]: roomJoinPayload,
  [ClientEvent.RoomLeave]: roomLeavePayload,
  [ClientEvent.RoomPreview]: roomPreviewPayload,
  [ClientEvent.MessageSend]: messageSendPayload,
  [ClientEvent.MessageHistory]: messageHistoryPayload,
  [ClientEvent.MessageSearch]: messageSearchPayload,
  [ClientEvent.MessageEdit]: messageEditPayload,
  [ClientEvent.MessageDelete]: messageDeletePayload,
  [ClientEvent.ReactionSet]: reactionSetPayload,
  [ClientEvent.MessageChanges]: messageChangesPayload,
  [ClientEvent.RoomUpdate]: roomUpdatePayload,
  [ClientEvent.MemberRole]: memberRolePayload,
  [ClientEvent.MemberRemove]: memberRemovePayload,
  [ClientEvent.BanList]: banListPayload,
  [ClientEvent.BanLift]: banLiftPayload,
  [ClientEvent.NicknameChange]: nicknameChangePayload,
  [ClientEvent.TypingSet]: typingSetPayload,
  [ClientEvent.PresenceSet]: presenceSetPayload,
  [ClientEvent.Ping]: pingPayload,
} as const satisfies {
  [E in keyof ClientToServerEvents]: z.ZodType<unknown, Parameters<ClientToServerEvents[E]>[0]>;
};

/** A request's payload once its schema has checked (and normalised) it. */
export type CheckedPayload<E extends keyof ClientToServerEvents> = z.output<
  (typeof requestSchemas)[E]
>;
