import { ClientEvent, ServerEvent } from '../../protocol/events';
import type { ChatContext } from '../chat-context';
import { requireNickname, requireRoomId } from '../chat-service';
import type { HandlerTable } from '../handler';
import { broadcastMembers, broadcastMessage } from '../room-broadcasts';
import { chatRoom } from '../socket-rooms';

type KeeperEvent =
  | typeof ClientEvent.RoomUpdate
  | typeof ClientEvent.MemberRole
  | typeof ClientEvent.MemberRemove
  | typeof ClientEvent.BanList
  | typeof ClientEvent.BanLift;

/** What the owner and moderators of a room do: settings, moderators, removals and bans. */
export function keeperHandlers(ctx: ChatContext): Pick<HandlerTable, KeeperEvent> {
  return {
    [ClientEvent.RoomUpdate]: {
      rateLimit: 'moderate',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const { title, topic, locked, slowModeSeconds } = payload;
        const { room, announcements } = await ctx.keeping.update(socket.data.sessionId, roomId, {
          title,
          topic,
          locked,
          slowModeSeconds,
        });
        for (const announcement of announcements) await broadcastMessage(ctx, announcement);
        if (announcements.length > 0) {
          ctx.io.to(chatRoom(roomId)).emit(ServerEvent.RoomUpdated, { roomId, room });
          ctx.lobby.roomsChanged();
        }
        return { ok: true, room };
      },
    },

    [ClientEvent.MemberRole]: {
      rateLimit: 'moderate',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const nickname = requireNickname(payload.nickname);
        const { announcement, members } = await ctx.keeping.setRole(
          socket.data.sessionId,
          roomId,
          nickname,
          payload.moderator,
        );
        if (announcement) {
          await broadcastMessage(ctx, announcement);
          await broadcastMembers(ctx, roomId, { stored: members });
        }
        return { ok: true };
      },
    },

    [ClientEvent.MemberRemove]: {
      rateLimit: 'moderate',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const nickname = requireNickname(payload.nickname);
        const removal = await ctx.keeping.remove(
          socket.data.sessionId,
          roomId,
          nickname,
          payload.ban,
        );
        await ctx.rooms.removed(roomId, removal);
        return { ok: true };
      },
    },

    [ClientEvent.BanList]: {
      rateLimit: 'moderate',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        return { ok: true, bans: await ctx.keeping.listBans(socket.data.sessionId, roomId) };
      },
    },

    [ClientEvent.BanLift]: {
      rateLimit: 'moderate',
      async run(socket, payload) {
        const roomId = requireRoomId(payload.roomId);
        const announcement = await ctx.keeping.liftBan(
          socket.data.sessionId,
          roomId,
          payload.banId,
        );
        if (announcement) await broadcastMessage(ctx, announcement);
        return { ok: true };
      },
    },
  };
}
