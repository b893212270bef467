import { may } from '../chat/moderation';
import type { Member, RoomRole } from '../protocol/definitions';

/** What the reader can do to another member from the members list. */
export type MemberAction =
  'make-moderator' | 'remove-moderator' | 'remove' | 'ban' | 'mute' | 'unmute';

/** What the members list knows about the reader when it offers actions on `member`. */
export interface Reader {
  role: RoomRole;
  nickname: string;
  /** Whether the reader muted `member` (by its author key). */
  muted: boolean;
}

/**
 * The actions the reader is offered on `member`: the server's own rules (`may`), so the menu
 * never offers what would be refused, plus muting, which anyone may do to anyone else.
 */
export function memberActions(reader: Reader, member: Member): MemberAction[] {
  if (member.nickname === reader.nickname) return [];
  const target: RoomRole = member.role ?? 'member';
  const actions: MemberAction[] = [];
  if (may(reader.role, 'appoint', target)) {
    actions.push(target === 'moderator' ? 'remove-moderator' : 'make-moderator');
  }
  if (may(reader.role, 'remove', target)) actions.push('remove', 'ban');
  actions.push(reader.muted ? 'unmute' : 'mute');
  return actions;
}
