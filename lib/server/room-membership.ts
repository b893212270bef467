import { type ConnectedTab, withPresence } from '../chat/presence';
import type { Member, Message } from '../protocol/definitions';
import { ServerEvent } from '../protocol/events';
import type { StoredMember } from '../store/store';
import type { ChatContext } from './chat-context';
import { connectedTabs } from './member-presence';
import { chatRoom, sessionRoom } from './socket-rooms';

/**
 * Membership changes that more than one trigger shares (requests, expired grace periods,
 * dropped connections), with the broadcasts they cause.
 */

/** Options for listing or broadcasting a room's members. */
export interface MemberListOptions {
  /** The stored members, when the caller has just read them. */
  stored?: StoredMember[];
  /** The room's connected tabs, when the caller has just asked for them. */
  tabs?: ConnectedTab[];
  /** A socket that hears nothing (it gets the list in its acknowledgement). */
  exceptSocketId?: string;
}

/**
 * The room's members as clients see them: each with the presence its connected tabs give it,
 * asked of Socket.IO, which spans every server process when an adapter connects them.
 */
export async function roomMembers(
  ctx: ChatContext,
  roomId: string,
  options: MemberListOptions = {},
): Promise<Member[]> {
  const [stored, tabs] = await Promise.all([
    options.stored ?? ctx.chat.members(roomId),
    options.tabs ?? connectedTabs(ctx.io, roomId),
  ]);
  return withPresence(stored, tabs);
}

/** Sends a room its current member list (`members:update`) and returns it. */
export async function broadcastMembers(
  ctx: ChatContext,
  roomId: string,
  options: MemberListOptions = {},
): Promise<Member[]> {
  const members = await roomMembers(ctx, roomId, options);
  ctx.io
    .to(chatRoom(roomId))
    .except(options.exceptSocketId ?? [])
    .emit(ServerEvent.MembersUpdate, { roomId, members });
  return members;
}

/** Sends a stored system announcement to the room. */
export function broadcastAnnouncement(
  ctx: ChatContext,
  roomId: string,
  announcement: Message,
  exceptSocketId?: string,
): void {
  ctx.io
    .to(chatRoom(roomId))
    .except(exceptSocketId ?? [])
    .emit(ServerEvent.MessageNew, announcement);
}

/**
 * Takes a session out of a room on every tab and server process, frees its nickname,
 * announces it, and deletes the room if it was the last member. False if it was no member.
 */
export async function removeMember(
  ctx: ChatContext,
  roomId: string,
  sessionId: string,
  logFields: Record<string, unknown> = { reason: 'grace period ended' },
) {
  ctx.presence.cancelGrace(roomId, sessionId);
  const outcome = await ctx.chat.leave(sessionId, roomId);
  ctx.io.in(sessionRoom(sessionId)).socketsLeave(chatRoom(roomId));
  if (!outcome) return false;
  ctx.io.to(sessionRoom(sessionId)).emit(ServerEvent.RoomLeft, { roomId });
  if (!outcome.roomDeleted) {
    if (outcome.announcement) broadcastAnnouncement(ctx, roomId, outcome.announcement);
    await broadcastMembers(ctx, roomId, { stored: outcome.members });
  }
  ctx.lobby.roomsChanged();
  ctx.logger.info({ roomId, sessionId, ...logFields }, 'member left');
  if (outcome.roomDeleted) ctx.logger.info({ roomId, reason: 'last member left' }, 'room deleted');
  return true;
}
