import { ClientEvent, ServerEvent } from '../../protocol/events';
import type { ChatContext } from '../chat-context';
import { notInRoom, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastMembers } from '../room-broadcasts';
import { chatRoom, roomIdOf } from '../socket-rooms';

/** `typing:set`, `presence:set` and `latency:ping`: signals that are never stored. */
export function presenceHandlers(
  ctx: ChatContext,
): Pick<
  HandlerTable,
  typeof ClientEvent.TypingSet | typeof ClientEvent.PresenceSet | typeof ClientEvent.Ping
> {
  return {
    [ClientEvent.TypingSet]: {
      rateLimit: 'typing',
      async run(socket, payload) {
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
    },

    [ClientEvent.PresenceSet]: {
      rateLimit: 'presence',
      async run(socket, payload) {
        if ((socket.data.idle === true) === payload.idle) return { ok: true };
        socket.data.idle = payload.idle;
        const roomIds = [...socket.rooms].flatMap((room) => roomIdOf(room) ?? []);
        await Promise.all(roomIds.map((roomId) => broadcastMembers(ctx, roomId)));
        return { ok: true };
      },
    },

    // Free: it reads and stores nothing, so a flood of pings costs what a flood of malformed
    // packets does (each answered at once); the transport's limits bound both.
    [ClientEvent.Ping]: {
      rateLimit: null,
      run: async () => ({ ok: true, serverTime: ctx.clock().toISOString() }),
    },
  };
}
