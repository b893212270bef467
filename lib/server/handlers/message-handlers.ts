import { ClientEvent, ServerEvent } from '../../protocol/events';
import { DEFAULT_HISTORY_PAGE } from '../../protocol/limits';
import { messageHistoryPayload, messageSendPayload } from '../../protocol/schemas';
import type { ChatContext } from '../chat-context';
import { requireMessageText, requireRoomId } from '../chat-service';
import { defineHandler } from '../handler';
import { spendOrRefuse } from '../rate-limits';
import { chatRoom } from '../socket-rooms';
import type { ChatSocket } from '../socket-types';

/** `message:send` and `message:history`. */
export function registerMessageHandlers(ctx: ChatContext, socket: ChatSocket): void {
  const { sessionId } = socket.data;

  socket.on(
    ClientEvent.MessageSend,
    defineHandler(ClientEvent.MessageSend, messageSendPayload, ctx.logger, async (payload) => {
      await spendOrRefuse(ctx.rateLimits, 'message', socket.data);
      const roomId = requireRoomId(payload.roomId);
      const text = requireMessageText(payload.text);
      const { message, created } = await ctx.chat.send(sessionId, roomId, payload.clientId, text);
      // A retried clientId was broadcast the first time; only its acknowledgement repeats.
      if (created) ctx.io.to(chatRoom(roomId)).emit(ServerEvent.MessageNew, message);
      return { ok: true, message };
    }),
  );

  socket.on(
    ClientEvent.MessageHistory,
    defineHandler(
      ClientEvent.MessageHistory,
      messageHistoryPayload,
      ctx.logger,
      async (payload) => {
        const roomId = requireRoomId(payload.roomId);
        const page = await ctx.chat.history(sessionId, roomId, {
          beforeSeq: payload.beforeSeq,
          afterSeq: payload.afterSeq,
          limit: payload.limit ?? DEFAULT_HISTORY_PAGE,
        });
        return { ok: true, ...page };
      },
    ),
  );
}
