import { ClientEvent, ServerEvent } from '../../protocol/events';
import type { ChatContext } from '../chat-context';
import { requireNickname, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastMembers, broadcastMessage } from '../room-broadcasts';
import { sessionRoom } from '../socket-rooms';

/** `nickname:change`. */
export function nicknameHandlers(
  ctx: ChatContext,
): Pick<HandlerTable, typeof ClientEvent.NicknameChange> {
  return {
    [ClientEvent.NicknameChange]: {
      rateLimit: 'rename',
      async run(socket, payload) {
        const { sessionId } = socket.data;
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
    },
  };
}
