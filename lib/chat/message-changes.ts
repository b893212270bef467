import type { ReplyQuote, RoomRole } from '../protocol/definitions';
import { may } from './moderation';
import {
  EDIT_WINDOW_MS,
  MAX_REACTIONS_PER_MESSAGE,
  REPLY_EXCERPT_LENGTH,
} from '../protocol/limits';

/**
 * What may happen to a stored message after it was sent: its author edits it (within
 * `EDIT_WINDOW_MS`) or deletes it, any member puts a reaction on it or takes theirs off, and
 * a new message replies to it. Plain functions of the message's stored facts, so each store
 * applies the same rules inside the transaction that makes the change.
 */
export type MessageChange =
  | { kind: 'edit'; text: string }
  | { kind: 'delete' }
  | { kind: 'react'; emoji: string; on: boolean };

/** What the rules need to know of the message a change is for. */
export interface ChangeTarget {
  kind: 'user' | 'system';
  /** The session that wrote it (null for system messages). */
  sessionId: string | null;
  text: string;
  createdAt: string;
  deleted: boolean;
  /** The distinct emoji on it now. */
  emoji: readonly string[];
  /** Whether the acting member's reaction with the change's emoji is on it. */
  reacted: boolean;
}

/** Why a change may not be made. */
export type ChangeRefusal =
  'not-found' | 'not-yours' | 'deleted' | 'edit-window-closed' | 'too-many-reactions';

/**
 * What becomes of a change: refused (and why), made, or already the state of the message —
 * the same request retried, which changes nothing and counts once.
 */
export type ChangeVerdict =
  | { refused: ChangeRefusal }
  /** `byKeeper`: a deletion of another's message by the owner or a moderator. */
  | { apply: true; byKeeper?: true }
  | { unchanged: true };

/**
 * Decides a change by `actor` (a session, with its role in the room; a member unless said) at
 * `now` to `target` (undefined: no such message).
 */
export function judgeChange(
  change: MessageChange,
  target: ChangeTarget | undefined,
  actor: string,
  now: Date,
  role: RoomRole = 'member',
): ChangeVerdict {
  // System notices are not messages anyone can act on.
  if (!target || target.kind === 'system') return { refused: 'not-found' };
  if (change.kind === 'react') {
    if (target.deleted) return { refused: 'deleted' };
    if (target.reacted === change.on) return { unchanged: true };
    if (change.on && !target.emoji.includes(change.emoji)) {
      if (target.emoji.length >= MAX_REACTIONS_PER_MESSAGE) {
        return { refused: 'too-many-reactions' };
      }
    }
    return { apply: true };
  }
  if (change.kind === 'delete' && target.sessionId !== actor && may(role, 'delete-any')) {
    return target.deleted ? { unchanged: true } : { apply: true, byKeeper: true };
  }
  if (target.sessionId !== actor) return { refused: 'not-yours' };
  if (change.kind === 'delete') return target.deleted ? { unchanged: true } : { apply: true };
  if (target.deleted) return { refused: 'deleted' };
  if (target.text === change.text) return { unchanged: true };
  if (now.getTime() - Date.parse(target.createdAt) > EDIT_WINDOW_MS) {
    return { refused: 'edit-window-closed' };
  }
  return { apply: true };
}

/** Why a message may not be replied to, if it may not. */
export function replyRefusal(
  target: Pick<ChangeTarget, 'kind' | 'deleted'> | undefined,
): ChangeRefusal | undefined {
  if (!target || target.kind === 'system') return 'not-found';
  return target.deleted ? 'deleted' : undefined;
}

/** The one-line quote of a replied-to message: its author and the start of its text. */
export function replyQuote(target: {
  seq: number;
  author: string;
  text: string;
  deleted: boolean;
}): ReplyQuote {
  if (target.deleted) return { seq: target.seq, author: target.author, excerpt: '', deleted: true };
  return { seq: target.seq, author: target.author, excerpt: excerpt(target.text) };
}

/** The text's first line, at most `REPLY_EXCERPT_LENGTH` code points, with … when cut. */
export function excerpt(text: string): string {
  const firstLine = text.split('\n', 1)[0]!.trim();
  const points = [...firstLine];
  const cut = points.length > REPLY_EXCERPT_LENGTH || text.includes('\n');
  const kept = points.slice(0, REPLY_EXCERPT_LENGTH).join('').trimEnd();
  return cut ? `${kept}…` : kept;
}
