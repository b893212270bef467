import { ClientEvent } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE } from '../../protocol/limits';
import type { ChatContext } from '../chat-context';
import { requireMessageText, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastMessage } from '../room-broadcasts';
import { chatRoom } from '../socket-rooms';

/** `message:send` and `message:history`. */
export function messageHandlers(
  ctx: ChatContext,
): Pick<HandlerTable, typeof ClientEvent.MessageSend | typeof ClientEvent.MessageHistory> {
  return {
    [ClientEvent.MessageSend]: {
      rateLimit: 'message',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const text = requireMessageText(payload.text);
        const { message, created } = await ctx.chat.send(
          socket.data.sessionId,
          roomId,
          payload.clientId,
          text,
        );
        // A retried clientId was broadcast the first time; only its acknowledgement repeats.
        // The acknowledgement waits until the other server processes have the message.
        if (created) {
          await broadcastMessage(ctx, message);
          ctx.metrics?.messagesReceived.inc();
          ctx.metrics?.messagesDelivered.inc(
            ctx.io.sockets.adapter.rooms.get(chatRoom(roomId))?.size ?? 0,
          );
        }
        return { ok: true, message };
      },
    },

    [ClientEvent.MessageHistory]: {
      rateLimit: 'history',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const page = await ctx.chat.history(socket.data.sessionId, roomId, {
          beforeSeq: payload.beforeSeq,
          afterSeq: payload.afterSeq,
          limit: payload.limit ?? DEFAULT_HISTORY_PAGE,
        });
        return { ok: true, ...page };
      },
    },
  };
}
