import { ClientEvent } from '../../protocol/events';
import type { MessageChange } from '../../chat/message-changes';
import { DEFAULT_HISTORY_PAGE, DEFAULT_SEARCH_PAGE, MAX_CHANGES_PAGE } from '../../protocol/limits';
import type { ChatContext } from '../chat-context';
import { requireEmoji, requireMessageText, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastChange, broadcastMessage } from '../room-broadcasts';
import type { ChatSocket } from '../socket-types';
import { chatRoom } from '../socket-rooms';

type MessageEvent =
  | typeof ClientEvent.MessageSend
  | typeof ClientEvent.MessageHistory
  | typeof ClientEvent.MessageSearch
  | typeof ClientEvent.MessageEdit
  | typeof ClientEvent.MessageDelete
  | typeof ClientEvent.ReactionSet
  | typeof ClientEvent.MessageChanges;

/** Sending and reading messages, and changing stored ones: edits, deletions, reactions. */
export function messageHandlers(ctx: ChatContext): Pick<HandlerTable, MessageEvent> {
  /**
   * Makes a change and, when it changed something, tells the room before answering, as a
   * send does: an acknowledged change reaches every process even if this one dies.
   */
  const changeMessage = async (
    socket: ChatSocket,
    payload: { roomId: string; seq: number },
    change: MessageChange,
  ) => {
    const roomId = requireRoomId(payload.roomId);
    const { sessionId } = socket.data;
    const { message, changed } = await ctx.chat.change(sessionId, roomId, payload.seq, change);
    if (changed) await broadcastChange(ctx, message);
    return { ok: true as const, message };
  };

  return {
    [ClientEvent.MessageSend]: {
      rateLimit: 'message',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const { attachments, replyTo } = payload;
        const text = requireMessageText(payload.text, { captionOnly: attachments !== undefined });
        const { message, created } = await ctx.chat.send(
          socket.data.sessionId,
          roomId,
          payload.clientId,
          text,
          { replyTo, attachments },
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
        const { sessionId } = socket.data;
        const limit = payload.limit ?? DEFAULT_HISTORY_PAGE;
        if (payload.aroundSeq !== undefined) {
          return {
            ok: true,
            ...(await ctx.chat.around(sessionId, roomId, payload.aroundSeq, limit)),
          };
        }
        const page = await ctx.chat.history(sessionId, roomId, {
          beforeSeq: payload.beforeSeq,
          afterSeq: payload.afterSeq,
          limit,
        });
        return { ok: true, messages: page.messages, hasMore: page.hasMore };
      },
    },

    [ClientEvent.MessageSearch]: {
      rateLimit: 'search',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const found = await ctx.chat.search(socket.data.sessionId, roomId, payload.query, {
          beforeSeq: payload.beforeSeq,
          limit: payload.limit ?? DEFAULT_SEARCH_PAGE,
        });
        return { ok: true, messages: found.messages, hasMore: found.hasMore };
      },
    },

    [ClientEvent.MessageEdit]: {
      rateLimit: 'change',
      run: (socket, payload) =>
        changeMessage(socket, payload, { kind: 'edit', text: requireMessageText(payload.text) }),
    },

    [ClientEvent.MessageDelete]: {
      rateLimit: 'change',
      run: (socket, payload) => changeMessage(socket, payload, { kind: 'delete' }),
    },

    [ClientEvent.ReactionSet]: {
      rateLimit: 'change',
      run: (socket, payload) =>
        changeMessage(socket, payload, {
          kind: 'react',
          emoji: requireEmoji(payload.emoji),
          on: payload.on,
        }),
    },

    [ClientEvent.MessageChanges]: {
      rateLimit: 'history',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const page = await ctx.chat.changes(
          socket.data.sessionId,
          roomId,
          payload.afterChange,
          payload.limit ?? MAX_CHANGES_PAGE,
        );
        return { ok: true, ...page };
      },
    },
  };
}
