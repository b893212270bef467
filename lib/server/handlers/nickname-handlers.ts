import { ClientEvent, ServerEvent } from '../../protocol/events';
import { nicknameChangePayload } from '../../protocol/schemas';
import type { ChatContext } from '../chat-context';
import { requireNickname, requireRoomId } from '../chat-service';
import { defineHandler, type SocketHandler } from '../handler';
import { spendOrRefuse } from '../rate-limits';
import { broadcastMembers, broadcastMessage } from '../room-membership';
import { sessionRoom } from '../socket-rooms';

/** `nickname:change`. */
export function nicknameHandlers(ctx: ChatContext): Record<string, SocketHandler> {
  const change = defineHandler(
    ctx,
    ClientEvent.NicknameChange,
    nicknameChangePayload,
    async (socket, payload) => {
      const { sessionId } = socket.data;
      await spendOrRefuse(ctx, 'rename', socket.data);
      const roomId = requireRoomId(payload.roomId);
      const nickname = requireNickname(payload.nickname);
      const renamed = await ctx.chat.rename(sessionId, roomId, nickname);
      if (renamed.announcement) {
        await broadcastMessage(ctx, renamed.announcement);
        await broadcastMembers(ctx, roomId, { stored: renamed.members });
        ctx.io
          .to(sessionRoom(sessionId))
          .emit(ServerEvent.SelfUpdate, { roomId, nickname: renamed.nickname });
      }
      return { ok: true, nickname: renamed.nickname };
    },
  );

  return { [ClientEvent.NicknameChange]: change };
}
