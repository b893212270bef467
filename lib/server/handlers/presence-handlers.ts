import { ClientEvent, ServerEvent } from '../../protocol/events';
import { pingPayload, presenceSetPayload, typingSetPayload } from '../../protocol/schemas';
import type { ChatContext } from '../chat-context';
import { notInRoom, requireRoomId } from '../chat-service';
import { defineHandler, type SocketHandler } from '../handler';
import { spendOrRefuse } from '../rate-limits';
import { broadcastMembers } from '../room-membership';
import { chatRoom, roomIdOf } from '../socket-rooms';

/** `typing:set`, `presence:set` and `latency:ping`: signals that are never stored. */
export function presenceHandlers(ctx: ChatContext): Record<string, SocketHandler> {
  const typing = defineHandler(
    ctx,
    ClientEvent.TypingSet,
    typingSetPayload,
    async (socket, payload) => {
      await spendOrRefuse(ctx, 'typing', socket.data);
      const roomId = requireRoomId(payload.roomId);
      // Only a tab that joined the room may speak in it; the nickname is the stored one.
      if (!socket.rooms.has(chatRoom(roomId))) throw notInRoom();
      const member = await ctx.chat.requireMember(socket.data.sessionId, roomId);
      socket.to(chatRoom(roomId)).emit(ServerEvent.TypingUpdate, {
        roomId,
        nickname: member.nickname,
        typing: payload.typing,
      });
      return { ok: true };
    },
  );

  const presence = defineHandler(
    ctx,
    ClientEvent.PresenceSet,
    presenceSetPayload,
    async (socket, payload) => {
      await spendOrRefuse(ctx, 'presence', socket.data);
      if ((socket.data.idle === true) === payload.idle) return { ok: true };
      socket.data.idle = payload.idle;
      const roomIds = [...socket.rooms].flatMap((room) => roomIdOf(room) ?? []);
      await Promise.all(roomIds.map((roomId) => broadcastMembers(ctx, roomId)));
      return { ok: true };
    },
  );

  const ping = defineHandler(ctx, ClientEvent.Ping, pingPayload, async () => ({
    ok: true,
    serverTime: ctx.clock().toISOString(),
  }));

  return {
    [ClientEvent.TypingSet]: typing,
    [ClientEvent.PresenceSet]: presence,
    [ClientEvent.Ping]: ping,
  };
}
