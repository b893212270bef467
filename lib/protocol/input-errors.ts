import type { z } from 'zod';
import {
  MAX_HISTORY_PAGE,
  MAX_MESSAGE_LENGTH,
  MAX_NICKNAME_LENGTH,
  MAX_PREVIEW_ROOMS,
} from './limits';

/**
 * The sentences an `INVALID_INPUT` answer carries, one wording for each field of every
 * request: what a person reads when a request is malformed, whatever the schema library
 * would have said. The chat rules (lib/chat) use the same sentences for the same fields.
 */

const count = (n: number) => n.toLocaleString('en-US');

export const NicknameSentence = {
  missing: 'Please choose a nickname.',
  tooLong: `A nickname can be at most ${count(MAX_NICKNAME_LENGTH)} characters long.`,
  mixedAlphabets: 'A nickname cannot mix alphabets that look alike, such as Latin and Cyrillic.',
} as const;

export const MessageTextSentence = {
  missing: 'A message cannot be empty.',
  tooLong: `A message can be at most ${count(MAX_MESSAGE_LENGTH)} characters long.`,
} as const;

export const EmojiSentence = {
  notEmoji: 'A reaction is one emoji, such as 👍.',
} as const;

export const ROOM_ID_SENTENCE = 'That is not a room ID. Room IDs look like k3vq-8m2x-d7tp.';

/** Said when a room update names nothing to change. */
export const NOTHING_TO_CHANGE_SENTENCE = 'Say what to change about the room.';

/** Said when a request asks for history both before and after a point. */
export const ONE_DIRECTION_SENTENCE =
  'Ask for messages before a point, after it or around it: one of them.';

/** How a field's problems read: missing, of the wrong kind, or out of range. */
interface FieldSentences {
  missing: string;
  wrong: string;
  outOfRange?: string;
}

const FIELDS: Record<string, FieldSentences> = {
  roomId: { missing: 'Say which room this is for.', wrong: ROOM_ID_SENTENCE },
  roomIds: {
    missing: 'Say which rooms to look at.',
    wrong: `Ask about 1 to ${count(MAX_PREVIEW_ROOMS)} rooms, each by its ID.`,
  },
  nickname: {
    missing: NicknameSentence.missing,
    wrong: 'A nickname must be written in letters, digits or symbols.',
    outOfRange: NicknameSentence.tooLong,
  },
  text: {
    missing: MessageTextSentence.missing,
    wrong: 'A message must be written text.',
    outOfRange: MessageTextSentence.tooLong,
  },
  clientId: {
    missing: 'A message needs a clientId, an ID the app picks for it (a UUID).',
    wrong: 'A message’s clientId must be a UUID, such as 6f1c1f0e-…-9a2b.',
  },
  public: {
    missing: 'Say whether the room is public.',
    wrong: 'Say whether the room is public with yes (true) or no (false).',
  },
  beforeSeq: {
    missing: 'Say where in the history to start.',
    wrong: 'That place in the history does not exist.',
  },
  afterSeq: {
    missing: 'Say where in the history to start.',
    wrong: 'That place in the history does not exist.',
  },
  query: {
    missing: 'Type a word to search for.',
    wrong: 'A search must be written text.',
  },
  aroundSeq: {
    missing: 'Say which message to show the history around.',
    wrong: 'That message does not exist.',
  },
  limit: {
    missing: 'Say how many messages to load.',
    wrong: `A page of history holds 1 to ${count(MAX_HISTORY_PAGE)} messages.`,
  },
  seq: {
    missing: 'Say which message this is for.',
    wrong: 'That message does not exist.',
  },
  replyTo: {
    missing: 'Say which message this answers.',
    wrong: 'The message this answers does not exist.',
  },
  emoji: {
    missing: 'Say which emoji to react with.',
    wrong: EmojiSentence.notEmoji,
  },
  on: {
    missing: 'Say whether to add the reaction or take it away.',
    wrong: 'Say whether to add the reaction (true) or take it away (false).',
  },
  afterChange: {
    missing: 'Say which change to catch up from.',
    wrong: 'There is no such change to catch up from.',
  },
  title: { missing: 'Say what to call the room.', wrong: 'A room title must be written text.' },
  topic: { missing: 'Say what the topic is.', wrong: 'A topic must be written text.' },
  locked: {
    missing: 'Say whether the room is locked.',
    wrong: 'Say whether the room is locked with yes (true) or no (false).',
  },
  slowModeSeconds: {
    missing: 'Say how slow the room should be.',
    wrong: 'Slow mode is given in whole seconds, from 0 (off) to 3,600 (an hour).',
  },
  moderator: {
    missing: 'Say whether the member is a moderator.',
    wrong: 'Say whether the member is a moderator with yes (true) or no (false).',
  },
  ban: {
    missing: 'Say how long the ban lasts.',
    wrong: 'A ban lasts 10 minutes (10m), an hour (1h), a day (24h) or for good (permanent).',
  },
  banId: { missing: 'Say which ban to lift.', wrong: 'There is no such ban.' },
  typing: {
    missing: 'Say whether you are typing.',
    wrong: 'Say whether you are typing with yes (true) or no (false).',
  },
  idle: {
    missing: 'Say whether this tab is idle.',
    wrong: 'Say whether this tab is idle with yes (true) or no (false).',
  },
};

/**
 * The sentence for the first problem the payload schema found in `payload`. Every wording is ours: an
 * issue on a field not listed above, or of a kind not foreseen, reads as a general sentence.
 */
export function describeInvalidInput(
  issue: z.core.$ZodIssue | undefined,
  payload: unknown,
): string {
  if (!issue) return 'This request is not valid.';
  if (issue.path.length === 0) {
    // The unknown names are not repeated: they are whatever the sender chose to write.
    if (issue.code === 'unrecognized_keys')
      return 'This request has fields the server does not know.';
    // Our own refinements (custom issues) carry a sentence of ours.
    if (issue.code === 'custom') return issue.message;
    return 'This request is missing its details.';
  }
  const name = String(issue.path[0]);
  const field = FIELDS[name];
  if (!field) return 'This request is not valid.';
  // Issues do not carry the input they are about; a missing field is read off the payload.
  if ((payload as Record<string, unknown>)[name] === undefined) return field.missing;
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    return field.outOfRange ?? field.wrong;
  }
  return field.wrong;
}
