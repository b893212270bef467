import { ClientEvent, ServerEvent } from '../../protocol/events';
import { nicknameChangePayload } from '../../protocol/schemas';
import type { ChatContext } from '../chat-context';
import { requireNickname, requireRoomId } from '../chat-service';
import { defineHandler } from '../handler';
import { spendOrRefuse } from '../rate-limits';
import { broadcastAnnouncement, broadcastMembers } from '../room-membership';
import { sessionRoom } from '../socket-rooms';
import type { ChatSocket } from '../socket-types';

/** `nickname:change`. */
export function registerNicknameHandlers(ctx: ChatContext, socket: ChatSocket): void {
  const { sessionId } = socket.data;

  socket.on(
    ClientEvent.NicknameChange,
    defineHandler(ctx, ClientEvent.NicknameChange, nicknameChangePayload, async (payload) => {
      await spendOrRefuse(ctx, 'rename', socket.data);
      const roomId = requireRoomId(payload.roomId);
      const nickname = requireNickname(payload.nickname);
      const renamed = await ctx.chat.rename(sessionId, roomId, nickname);
      if (renamed.announcement) {
        broadcastAnnouncement(ctx, roomId, renamed.announcement);
        await broadcastMembers(ctx, roomId, { stored: renamed.members });
        ctx.io
          .to(sessionRoom(sessionId))
          .emit(ServerEvent.SelfUpdate, { roomId, nickname: renamed.nickname });
      }
      return { ok: true, nickname: renamed.nickname };
    }),
  );
}
