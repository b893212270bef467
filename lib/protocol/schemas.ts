import { z } from 'zod';
import { ONE_DIRECTION_SENTENCE } from './input-errors';
import { ClientEvent, type ClientToServerEvents } from './events';
import { MAX_HISTORY_PAGE, MAX_RAW_STRING_LENGTH } from './limits';

/**
 * Structural schemas for client → server payloads. They check shape, types and raw sizes;
 * the chat rules (lib/chat) then normalise and check nicknames, room IDs and message text.
 * Every object is strict: an unknown field is INVALID_INPUT. What a failure says to a person
 * is worded per field in input-errors.ts, not by the schema library.
 */

const rawString = z.string().max(MAX_RAW_STRING_LENGTH);
const roomIdField = z.string().min(1).max(200);
const seqField = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

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

export const messageSendPayload = z.strictObject({
  roomId: roomIdField,
  clientId: z.uuid().transform((value) => value.toLowerCase()),
  text: rawString,
});

export const messageHistoryPayload = z
  .strictObject({
    roomId: roomIdField,
    /** The newest `limit` messages older than this sequence number. */
    beforeSeq: seqField.optional(),
    /** The oldest `limit` messages newer than this sequence number (catching up). */
    afterSeq: seqField.optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional(),
  })
  .refine((page) => page.beforeSeq === undefined || page.afterSeq === undefined, {
    message: ONE_DIRECTION_SENTENCE,
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
export type NicknameChangePayload = z.input<typeof nicknameChangePayload>;
export type TypingSetPayload = z.input<typeof typingSetPayload>;
export type PresenceSetPayload = z.input<typeof presenceSetPayload>;
export type PingPayload = z.input<typeof pingPayload>;

/**
 * The schema of every request, keyed by event: the server checks each payload against its
 * entry before any handler runs. An event without a schema, or a schema accepting another
 * shape than the event's payload type, does not compile.
 */
export const requestSchemas = {
  [ClientEvent.RoomCreate]: roomCreatePayload,
  [ClientEvent.RoomJoin]: roomJoinPayload,
  [ClientEvent.RoomLeave]: roomLeavePayload,
  [ClientEvent.MessageSend]: messageSendPayload,
  [ClientEvent.MessageHistory]: messageHistoryPayload,
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
