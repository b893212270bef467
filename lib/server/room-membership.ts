import type { Message, Member } from '../protocol/definitions';
import { ServerEvent } from '../protocol/events';
import type { ChatContext } from './chat-context';
import { chatRoom, sessionRoom } from './socket-rooms';

/**
 * Membership changes that more than one trigger shares (a `room:leave` request and an expired
 * grace period), with the broadcasts they cause.
 */

/** Tells a room that its membership changed: the announcement, then the new member list. */
export function broadcastMembershipChange(
  ctx: ChatContext,
  roomId: string,
  announcement: Message | undefined,
  members: Member[],
  exceptSocketId?: string,
): void {
  const target = exceptSocketId
    ? ctx.io.to(chatRoom(roomId)).except(exceptSocketId)
    : ctx.io.to(chatRoom(roomId));
  if (announcement) target.emit(ServerEvent.MessageNew, announcement);
  target.emit(ServerEvent.MembersUpdate, { roomId, members });
}

/**
 * Takes a session out of a room on every tab and server process, frees its nickname,
 * announces it, and deletes the room if it was the last member. False if it was no member.
 */
export async function removeMember(ctx: ChatContext, roomId: string, sessionId: string) {
  ctx.presence.cancelGrace(roomId, sessionId);
  const outcome = await ctx.chat.leave(sessionId, roomId);
  ctx.io.in(sessionRoom(sessionId)).socketsLeave(chatRoom(roomId));
  if (!outcome) return false;
  ctx.io.to(sessionRoom(sessionId)).emit(ServerEvent.RoomLeft, { roomId });
  if (!outcome.roomDeleted) {
    broadcastMembershipChange(ctx, roomId, outcome.announcement, outcome.members);
  }
  ctx.logger.info({ roomId, sessionId, roomDeleted: outcome.roomDeleted }, 'member left');
  return true;
}
