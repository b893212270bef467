import { PacketType } from 'socket.io-parser';
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
  /** The list itself, when the caller has just built it. */
  members?: Member[];
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

/** Sends a room its member list (`members:update`) now; resolves with its length. */
export async function sendMemberList(
  ctx: ChatContext,
  roomId: string,
  options: MemberListOptions = {},
): Promise<number> {
  const members = options.members ?? (await roomMembers(ctx, roomId, options));
  ctx.io
    .to(chatRoom(roomId))
    .except(options.exceptSocketId ?? [])
    .emit(ServerEvent.MembersUpdate, { roomId, members });
  return members.length;
}

/**
 * A room's members changed: sends its list at once, or, if one went out moments ago, as the
 * list is when the room's window closes (`MemberListThrottle`).
 */
export async function broadcastMembers(
  ctx: ChatContext,
  roomId: string,
  options: MemberListOptions = {},
): Promise<void> {
  await ctx.memberLists.changed(roomId, () => sendMemberList(ctx, roomId, options));
}

/**
 * Sends a stored message (a member's, or a system announcement) to everyone in its room, on
 * every server process. Resolves once the adapter has passed it on to the other processes
 * (the Redis adapter: once it is in the stream), so an acknowledgement sent after this means
 * that every process will deliver the message even if this one dies at once.
 * `io.to(room).emit()` sends the same packet but does not say when it has left.
 */
export async function broadcastMessage(
  ctx: ChatContext,
  message: Message,
  exceptSocketId?: string,
): Promise<void> {
  const packet = { type: PacketType.EVENT, data: [ServerEvent.MessageNew, message] };
  const sent: Promise<void> | void = ctx.io.sockets.adapter.broadcast(packet, {
    rooms: new Set([chatRoom(message.roomId)]),
    except: new Set(exceptSocketId ? [exceptSocketId] : []),
    flags: {},
  });
  // The in-memory adapter sends at once and returns nothing; cluster adapters return a promise.
  await sent;
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
    if (outcome.announcement) await broadcastMessage(ctx, outcome.announcement);
    await broadcastMembers(ctx, roomId, { stored: outcome.members });
  }
  ctx.lobby.roomsChanged();
  ctx.logger.info({ roomId, sessionId, ...logFields }, 'member left');
  if (outcome.roomDeleted) ctx.logger.info({ roomId, reason: 'last member left' }, 'room deleted');
  return true;
}
