import { PacketType } from 'socket.io-parser';
import { type ConnectedTab, withPresence } from '../chat/presence';
import type { Member, Message } from '../protocol/definitions';
import { ServerEvent } from '../protocol/events';
import type { StoredMember } from '../store/store';
import type { ChatService } from './chat-service';
import type { MemberListThrottle } from './member-list-throttle';
import { chatRoom } from './socket-rooms';
import type { ChatServer } from './socket-types';

/**
 * What a room is told when it changes: its member list and its stored messages, sent to
 * every server process. Requests, expired grace periods and dropped connections share these.
 */

/** What sending to a room needs. */
export interface RoomBroadcasting {
  io: ChatServer;
  chat: Pick<ChatService, 'members' | 'authorKeys'>;
  memberLists: MemberListThrottle;
}

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
 * The room's members as clients see them: each with its author key and the presence its
 * connected tabs give it, asked of Socket.IO, which spans every server process when an
 * adapter connects them.
 */
export async function roomMembers(
  ctx: Pick<RoomBroadcasting, 'io' | 'chat'>,
  roomId: string,
  options: MemberListOptions = {},
): Promise<Member[]> {
  const [stored, tabs, authorKeyOf] = await Promise.all([
    options.stored ?? ctx.chat.members(roomId),
    options.tabs ?? connectedTabs(ctx.io, roomId),
    ctx.chat.authorKeys(roomId),
  ]);
  return withPresence(stored, tabs, authorKeyOf);
}

/** Sends a room its member list (`members:update`) now; resolves with its length. */
export async function sendMemberList(
  ctx: Pick<RoomBroadcasting, 'io' | 'chat'>,
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
  ctx: RoomBroadcasting,
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
  ctx: Pick<RoomBroadcasting, 'io'>,
  message: Message,
  exceptSocketId?: string,
): Promise<void> {
  await broadcastToRoom(ctx, ServerEvent.MessageNew, message, exceptSocketId);
}

/** Sends a stored message's new state (`message:changed`), as `broadcastMessage` sends one. */
export async function broadcastChange(
  ctx: Pick<RoomBroadcasting, 'io'>,
  message: Message,
): Promise<void> {
  await broadcastToRoom(ctx, ServerEvent.MessageChanged, message);
}

async function broadcastToRoom(
  ctx: Pick<RoomBroadcasting, 'io'>,
  event: typeof ServerEvent.MessageNew | typeof ServerEvent.MessageChanged,
  message: Message,
  exceptSocketId?: string,
): Promise<void> {
  const packet = { type: PacketType.EVENT, data: [event, message] };
  const sent: Promise<void> | void = ctx.io.sockets.adapter.broadcast(packet, {
    rooms: new Set([chatRoom(message.roomId)]),
    except: new Set(exceptSocketId ? [exceptSocketId] : []),
    flags: {},
  });
  // The in-memory adapter sends at once and returns nothing; cluster adapters return a promise.
  await sent;
}

/** The tabs connected to a chat room, on every process an adapter connects. */
export async function connectedTabs(io: ChatServer, roomId: string): Promise<ConnectedTab[]> {
  return (await io.in(chatRoom(roomId)).fetchSockets()).map(tabOf);
}

/** A connected socket as presence counts it. */
export function tabOf(socket: { data: { sessionId: string; idle?: boolean } }): ConnectedTab {
  return { sessionId: socket.data.sessionId, idle: socket.data.idle === true };
}
