import { invalid, valid, type ValueResult } from '../protocol/errors';
import type { BanLength, RoomRole } from '../protocol/definitions';
import { MAX_ROOM_TITLE_LENGTH, MAX_ROOM_TOPIC_LENGTH } from '../protocol/limits';

/**
 * Who may run a room. livechat has no accounts: the session that created a room owns it, the
 * owner names moderators among the members, and everyone else is a member. Plain functions,
 * so the store applies them inside the transaction that makes each change.
 */

/** What a keeper of a room can do. */
export type ModerationAction =
  | 'settings' // title, topic, lock, slow mode
  | 'appoint' // make a member a moderator, or take it back
  | 'remove' // kick or ban a member
  | 'delete-any' // delete anyone's message
  | 'list-bans';

/** Whether `actor` may do `action` (to a member of role `target`, for actions on members). */
export function may(actor: RoomRole, action: ModerationAction, target?: RoomRole): boolean {
  if (actor === 'member') return false;
  if (action === 'appoint') return actor === 'owner' && target !== 'owner';
  if (action === 'remove') {
    // A moderator acts on members only; the owner on moderators too.
    return target === 'member' || (actor === 'owner' && target === 'moderator');
  }
  return true;
}

/** A member as succession sees it: its role, in the order members joined. */
export interface Successor {
  sessionId: string;
  role: RoomRole;
}

/**
 * Who owns the room once its owner has gone: the moderator who joined first, else the member
 * present longest; undefined when nobody is left. `members` are in joining order, without
 * the owner who left.
 */
export function successor(members: readonly Successor[]): string | undefined {
  return (members.find((member) => member.role === 'moderator') ?? members[0])?.sessionId;
}

/** How long each ban length lasts, in milliseconds (`null`: until lifted). */
export const BAN_LENGTH_MS: Record<BanLength, number | null> = {
  '10m': 10 * 60_000,
  '1h': 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  permanent: null,
};

/** When a ban of `length` given at `now` ends (ISO 8601), or null for a permanent one. */
export function banEnds(length: BanLength, now: Date): string | null {
  const ms = BAN_LENGTH_MS[length];
  return ms === null ? null : new Date(now.getTime() + ms).toISOString();
}

/** Whether a ban ending at `until` (null: never) still holds at `now`. */
export function banHolds(until: string | null, now: Date): boolean {
  return until === null || Date.parse(until) > now.getTime();
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;

/** A room title: 1–64 code points on one line, trimmed; empty clears it. */
export function checkRoomTitle(raw: string): ValueResult<string> {
  return checkLine(raw, MAX_ROOM_TITLE_LENGTH, 'A room title');
}

/** A room topic: up to 300 code points on one line, trimmed; empty clears it. */
export function checkRoomTopic(raw: string): ValueResult<string> {
  return checkLine(raw, MAX_ROOM_TOPIC_LENGTH, 'A topic');
}

function checkLine(raw: string, max: number, what: string): ValueResult<string> {
  const text = raw.normalize('NFC').trim();
  if (CONTROL.test(text)) return invalid(`${what} must be one line of plain text.`);
  if ([...text].length > max) return invalid(`${what} can be at most ${max} characters long.`);
  return valid(text);
}
