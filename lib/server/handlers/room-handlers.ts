import { JOIN_HISTORY_LIMIT } from '../../protocol/limits';
import { ClientEvent } from '../../protocol/events';
import type { ChatContext } from '../chat-context';
import { notInRoom, requireNickname, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastMessage, broadcastMembers, roomMembers } from '../room-broadcasts';

/** `room:create`, `room:join`, `room:leave` and `room:preview`. */
export function roomHandlers(
  ctx: ChatContext,
): Pick<
  HandlerTable,
  | typeof ClientEvent.RoomCreate
  | typeof ClientEvent.RoomJoin
  | typeof ClientEvent.RoomLeave
  | typeof ClientEvent.RoomPreview
> {
  return {
    [ClientEvent.RoomCreate]: {
      rateLimit: 'join',
      async run(socket, payload) {
        const isPublic = payload.public === true;
        const ownerSessionId = socket.data.sessionId;
        const roomId = await ctx.chat.createRoom({ isPublic, ownerSessionId });
        ctx.rooms.created(roomId, isPublic);
        const { sessionId, address } = socket.data;
        ctx.logger.info({ roomId, sessionId, address, public: isPublic }, 'room created');
        return { ok: true, roomId };
      },
    },

    [ClientEvent.RoomJoin]: {
      rateLimit: 'join',
      async run(socket, payload, afterReply) {
        const { sessionId } = socket.data;
        const roomId = requireRoomId(payload.roomId);
        const nickname = requireNickname(payload.nickname);
        const joined = await ctx.chat.join(sessionId, roomId, nickname, socket.data.address);
        // Subscribe before reading history: anything stored from now on arrives live or in
        // the page below (or both; clients deduplicate by ID), never neither.
        await ctx.rooms.entered(socket, roomId, sessionId);
        const { announcement } = joined;
        ctx.logger.debug(
          { roomId, sessionId, socketId: socket.id, returning: !announcement },
          'tab joined',
        );
        if (announcement) {
          // The room hears of the join after the newcomer has its answer: in a big room that
          // fan-out takes longer than the rest of the join.
          afterReply(() => broadcastMessage(ctx, announcement, socket.id));
          ctx.lobby.roomsChanged();
          ctx.logger.info({ roomId, sessionId, address: socket.data.address }, 'member joined');
        }
        // Sent on every join, not only a new member's: a returning tab changes its presence.
        const members = await roomMembers(ctx, roomId, { stored: joined.members });
        afterReply(() => broadcastMembers(ctx, roomId, { members, exceptSocketId: socket.id }));
        const [history, room, authorKey] = await Promise.all([
          ctx.chat.history(sessionId, roomId, { limit: JOIN_HISTORY_LIMIT }),
          ctx.chat.roomInfo(roomId),
          ctx.chat.authorKey(roomId, sessionId),
        ]);
        return {
          ok: true,
          roomId,
          self: { nickname: joined.nickname, authorKey },
          members,
          messages: history.messages,
          hasMore: history.hasMore,
          changeSeq: history.changeSeq,
          room,
        };
      },
    },

    // Free: a session leaves a room at most once per join, and joins spend the join budget; a
    // leave of a room the session is not in changes nothing and is answered NOT_IN_ROOM.
    [ClientEvent.RoomLeave]: {
      rateLimit: null,
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const left = await ctx.rooms.leave(roomId, socket.data.sessionId, {
          reason: 'left',
          address: socket.data.address,
        });
        if (!left) throw notInRoom();
        return { ok: true };
      },
    },

    // A read, like a history page: the start page asks once for the rooms it remembers.
    [ClientEvent.RoomPreview]: {
      rateLimit: 'history',
      async run(socket, payload) {
        return { ok: true, rooms: await ctx.chat.preview(socket.data.sessionId, payload.roomIds) };
      },
    },
  };
}
