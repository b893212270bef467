import type { Member, Presence, RoomRole } from '../protocol/definitions';

/** One connected tab of a session, as far as presence is concerned. */
export interface ConnectedTab {
  sessionId: string;
  idle: boolean;
}

/**
 * A member's presence from the tabs its session has connected to the room: `active` if any
 * tab is in use, `idle` if every one is idle, `reconnecting` if none is connected (yet).
 */
export function presenceOf(sessionId: string, tabs: readonly ConnectedTab[]): Presence {
  let connected = false;
  for (const tab of tabs) {
    if (tab.sessionId !== sessionId) continue;
    if (!tab.idle) return 'active';
    connected = true;
  }
  return connected ? 'idle' : 'reconnecting';
}

/**
 * The member list clients see: each stored member with its author key (`authorKeyOf` its
 * session) and its presence, in joining order.
 */
export function withPresence(
  members: ReadonlyArray<{ sessionId: string; nickname: string; role?: RoomRole }>,
  tabs: readonly ConnectedTab[],
  authorKeyOf: (sessionId: string) => string,
): Member[] {
  return members.map((member) => {
    const listed: Member = {
      nickname: member.nickname,
      authorKey: authorKeyOf(member.sessionId),
      presence: presenceOf(member.sessionId, tabs),
    };
    if (member.role === 'owner' || member.role === 'moderator') listed.role = member.role;
    return listed;
  });
}
