import type { Member, Message } from './definitions';
import type { Result } from './errors';
import type {
  MessageHistoryPayload,
  MessageSendPayload,
  NicknameChangePayload,
  RoomCreatePayload,
  RoomJoinPayload,
  RoomLeavePayload,
} from './schemas';

/** Requests a client sends; each takes an acknowledgement callback. */
export const ClientEvent = {
  RoomCreate: 'room:create',
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  MessageSend: 'message:send',
  MessageHistory: 'message:history',
  NicknameChange: 'nickname:change',
} as const;

/** Events the server pushes. */
export const ServerEvent = {
  /** The session token issued to a client that connected without one. */
  Session: 'session',
  MessageNew: 'message:new',
  MembersUpdate: 'members:update',
  /** This session's nickname in a room changed (sent to all of the session's tabs). */
  SelfUpdate: 'self:update',
  /** This session left a room, from another tab or by the grace period running out. */
  RoomLeft: 'room:left',
  /** An operator's announcement to everyone connected. */
  Announcement: 'server:announcement',
  /** The server is about to restart: reconnect (automatically) in a moment. */
  Restarting: 'server:restarting',
} as const;

/** An acknowledgement callback carrying `Result<T>`. */
export type Ack<T extends object = object> = (result: Result<T>) => void;

export interface RoomCreateResult {
  roomId: string;
}

export interface RoomJoinResult {
  roomId: string;
  self: { nickname: string };
  members: Member[];
  /** The newest messages, oldest first. */
  messages: Message[];
  /** Whether older messages exist than the first one sent. */
  hasMore: boolean;
}

export interface MessageSendResult {
  message: Message;
}

export interface MessageHistoryResult {
  messages: Message[];
  hasMore: boolean;
}

export interface NicknameChangeResult {
  nickname: string;
}

export interface ClientToServerEvents {
  [ClientEvent.RoomCreate]: (payload: RoomCreatePayload, ack: Ack<RoomCreateResult>) => void;
  [ClientEvent.RoomJoin]: (payload: RoomJoinPayload, ack: Ack<RoomJoinResult>) => void;
  [ClientEvent.RoomLeave]: (payload: RoomLeavePayload, ack: Ack) => void;
  [ClientEvent.MessageSend]: (payload: MessageSendPayload, ack: Ack<MessageSendResult>) => void;
  [ClientEvent.MessageHistory]: (
    payload: MessageHistoryPayload,
    ack: Ack<MessageHistoryResult>,
  ) => void;
  [ClientEvent.NicknameChange]: (
    payload: NicknameChangePayload,
    ack: Ack<NicknameChangeResult>,
  ) => void;
}

export interface ServerToClientEvents {
  [ServerEvent.Session]: (payload: { token: string }) => void;
  [ServerEvent.MessageNew]: (message: Message) => void;
  [ServerEvent.MembersUpdate]: (payload: { roomId: string; members: Member[] }) => void;
  [ServerEvent.SelfUpdate]: (payload: { roomId: string; nickname: string }) => void;
  [ServerEvent.RoomLeft]: (payload: { roomId: string }) => void;
  [ServerEvent.Announcement]: (payload: { text: string; createdAt: string }) => void;
  [ServerEvent.Restarting]: (payload: Record<string, never>) => void;
}

/** Events between server processes (none yet: the adapter carries broadcasts). */
export type InterServerEvents = Record<string, never>;

/** What the handshake middleware puts on `socket.data`. */
export interface SocketData {
  sessionId: string;
  /** The client's network address, for per-address rate limits and logs. */
  address: string;
  /** Set when the server issued a fresh token during this handshake. */
  issuedToken?: string;
}
