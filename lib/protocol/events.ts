import type {
  Ban,
  LobbyRoom,
  LobbyStats,
  Member,
  Message,
  RoomInfo,
  RoomPreview,
} from './definitions';
import type { Result } from './errors';
import type {
  BanLiftPayload,
  BanListPayload,
  MemberRemovePayload,
  MemberRolePayload,
  RoomUpdatePayload,
  MessageChangesPayload,
  MessageDeletePayload,
  MessageEditPayload,
  MessageHistoryPayload,
  MessageSearchPayload,
  MessageSendPayload,
  NicknameChangePayload,
  PingPayload,
  PresenceSetPayload,
  ReactionSetPayload,
  RoomCreatePayload,
  RoomJoinPayload,
  RoomLeavePayload,
  RoomPreviewPayload,
  TypingSetPayload,
} from './schemas';

/** Requests a client sends; each takes an acknowledgement callback. */
export const ClientEvent = {
  RoomCreate: 'room:create',
  RoomJoin: 'room:join',
  RoomLeave: 'room:leave',
  /** Whether rooms are still open, how full, and whether this session is in them. */
  RoomPreview: 'room:preview',
  MessageSend: 'message:send',
  MessageHistory: 'message:history',
  /** The room's messages matching a query, newest first (members only). */
  MessageSearch: 'message:search',
  /** Replaces the text of one's own message. */
  MessageEdit: 'message:edit',
  /** Deletes one's own message: its text is gone, a placeholder stays in the log. */
  MessageDelete: 'message:delete',
  /** Puts this member's emoji reaction on a message, or takes it off. */
  ReactionSet: 'reaction:set',
  /** The messages changed (edited, deleted, reacted to) after a change number: catching up. */
  MessageChanges: 'message:changes',
  NicknameChange: 'nickname:change',
  /** The owner or a moderator sets the room's title, topic, lock or slow mode. */
  RoomUpdate: 'room:update',
  /** The owner makes a member a moderator, or a member again. */
  MemberRole: 'member:role',
  /** The owner or a moderator removes a member now (a kick), and with `ban` keeps it out. */
  MemberRemove: 'member:remove',
  /** The room's bans in force (owner and moderators). */
  BanList: 'ban:list',
  /** Lifts a ban before it ends. */
  BanLift: 'ban:lift',
  /** This member started or stopped typing in a room; never stored. */
  TypingSet: 'typing:set',
  /** This tab became idle (hidden, or no activity for a while) or active again. */
  PresenceSet: 'presence:set',
  /** An acknowledged no-op, so the client can measure its round-trip time. */
  Ping: 'latency:ping',
} as const;

/** Events the server pushes. */
export const ServerEvent = {
  /** The session token issued to a client that connected without one. */
  Session: 'session',
  MessageNew: 'message:new',
  /** A stored message was edited, deleted or reacted to: its whole current state. */
  MessageChanged: 'message:changed',
  MembersUpdate: 'members:update',
  /** This session's nickname in a room changed (sent to all of the session's tabs). */
  SelfUpdate: 'self:update',
  /**
   * This session left a room: from another tab, by the grace period running out, or removed
   * by the room's keepers (`removed` says by whom, and a ban until when).
   */
  RoomLeft: 'room:left',
  /** The room's title, topic, lock or slow mode changed. */
  RoomUpdated: 'room:updated',
  /** An operator's announcement to everyone connected. */
  Announcement: 'server:announcement',
  /** The server is about to restart: reconnect (automatically) in a moment. */
  Restarting: 'server:restarting',
  /** Someone in the room started or stopped typing. */
  TypingUpdate: 'typing:update',
} as const;

/** The namespace of the public lobby: a live list of public rooms and server statistics. */
export const LOBBY_NAMESPACE = '/lobby';

/** Events the server pushes on the lobby namespace (it takes no requests). */
export const LobbyEvent = {
  /** The public rooms, on connect and whenever one opens, closes or changes its member count. */
  Rooms: 'lobby:rooms',
  /** People in rooms and rooms open (private ones included, unnamed), on connect and every 5 s. */
  Stats: 'lobby:stats',
} as const;

/** An acknowledgement callback carrying `Result<T>`. */
export type Ack<T extends object = object> = (result: Result<T>) => void;

export interface RoomCreateResult {
  roomId: string;
}

export interface RoomJoinResult {
  roomId: string;
  /** This session in the room: its nickname, and the key its messages carry (`authorKey`). */
  self: { nickname: string; authorKey: string };
  members: Member[];
  /** The newest messages, oldest first. */
  messages: Message[];
  /** Whether older messages exist than the first one sent. */
  hasMore: boolean;
  /** How the room is run. */
  room: RoomInfo;
  /**
   * The room's latest change number when the page was read: `message:changes` after it
   * brings every edit, deletion and reaction since.
   */
  changeSeq: number;
}

export interface RoomPreviewResult {
  /** One per room asked about, in the order asked. */
  rooms: RoomPreview[];
}

export interface MessageSendResult {
  message: Message;
}

export interface MessageHistoryResult {
  messages: Message[];
  /** Whether more exist in the page's direction (older ones; newer ones after `afterSeq`). */
  hasMore: boolean;
  /** For a page around a message: whether newer ones exist after it (`hasMore`: older ones). */
  hasNewer?: boolean;
}

export interface MessageSearchResult {
  /** Matching messages, newest first, as the log shows them. */
  messages: Message[];
  /** Whether older matches exist: ask again with `beforeSeq` the last one's seq. */
  hasMore: boolean;
}

/** The message as the change left it (or as it was, when the change was already made). */
export interface MessageChangeResult {
  message: Message;
}

export interface MessageChangesResult {
  /** The messages changed after `afterChange`, each once, in its current state. */
  messages: Message[];
  /** The change number this page reaches: ask after it for the next page. */
  changeSeq: number;
  hasMore: boolean;
}

export interface RoomUpdateResult {
  room: RoomInfo;
}

export interface BanListResult {
  bans: Ban[];
}

export interface NicknameChangeResult {
  nickname: string;
}

export interface PingResult {
  /** Server time, ISO 8601. */
  serverTime: string;
}

export interface ClientToServerEvents {
  [ClientEvent.RoomCreate]: (payload: RoomCreatePayload, ack: Ack<RoomCreateResult>) => void;
  [ClientEvent.RoomJoin]: (payload: RoomJoinPayload, ack: Ack<RoomJoinResult>) => void;
  [ClientEvent.RoomLeave]: (payload: RoomLeavePayload, ack: Ack) => void;
  [ClientEvent.RoomPreview]: (payload: RoomPreviewPayload, ack: Ack<RoomPreviewResult>) => void;
  [ClientEvent.MessageSend]: (payload: MessageSendPayload, ack: Ack<MessageSendResult>) => void;
  [ClientEvent.MessageHistory]: (
    payload: MessageHistoryPayload,
    ack: Ack<MessageHistoryResult>,
  ) => void;
  [ClientEvent.MessageSearch]: (
    payload: MessageSearchPayload,
    ack: Ack<MessageSearchResult>,
  ) => void;
  [ClientEvent.MessageEdit]: (payload: MessageEditPayload, ack: Ack<MessageChangeResult>) => void;
  [ClientEvent.MessageDelete]: (
    payload: MessageDeletePayload,
    ack: Ack<MessageChangeResult>,
  ) => void;
  [ClientEvent.ReactionSet]: (payload: ReactionSetPayload, ack: Ack<MessageChangeResult>) => void;
  [ClientEvent.MessageChanges]: (
    payload: MessageChangesPayload,
    ack: Ack<MessageChangesResult>,
  ) => void;
  [ClientEvent.RoomUpdate]: (payload: RoomUpdatePayload, ack: Ack<RoomUpdateResult>) => void;
  [ClientEvent.MemberRole]: (payload: MemberRolePayload, ack: Ack) => void;
  [ClientEvent.MemberRemove]: (payload: MemberRemovePayload, ack: Ack) => void;
  [ClientEvent.BanList]: (payload: BanListPayload, ack: Ack<BanListResult>) => void;
  [ClientEvent.BanLift]: (payload: BanLiftPayload, ack: Ack) => void;
  [ClientEvent.NicknameChange]: (
    payload: NicknameChangePayload,
    ack: Ack<NicknameChangeResult>,
  ) => void;
  [ClientEvent.TypingSet]: (payload: TypingSetPayload, ack: Ack) => void;
  [ClientEvent.PresenceSet]: (payload: PresenceSetPayload, ack: Ack) => void;
  [ClientEvent.Ping]: (payload: PingPayload, ack: Ack<PingResult>) => void;
}

export interface ServerToClientEvents {
  [ServerEvent.Session]: (payload: { token: string }) => void;
  [ServerEvent.MessageNew]: (message: Message) => void;
  [ServerEvent.MessageChanged]: (message: Message) => void;
  [ServerEvent.MembersUpdate]: (payload: { roomId: string; members: Member[] }) => void;
  [ServerEvent.SelfUpdate]: (payload: { roomId: string; nickname: string }) => void;
  [ServerEvent.RoomLeft]: (payload: { roomId: string; removed?: Removal }) => void;
  [ServerEvent.RoomUpdated]: (payload: { roomId: string; room: RoomInfo }) => void;
  [ServerEvent.Announcement]: (payload: { text: string; createdAt: string }) => void;
  [ServerEvent.Restarting]: (payload: Record<string, never>) => void;
  [ServerEvent.TypingUpdate]: (payload: {
    roomId: string;
    nickname: string;
    typing: boolean;
  }) => void;
}

/** Why a session was taken out of a room by its keepers. */
export interface Removal {
  /** The nickname of who removed it. */
  by: string;
  /** Present for a ban: when it ends (ISO 8601), or null for a permanent one. */
  bannedUntil?: string | null;
}

/** What the lobby namespace pushes. */
export interface LobbyServerToClientEvents {
  [LobbyEvent.Rooms]: (payload: { rooms: LobbyRoom[] }) => void;
  [LobbyEvent.Stats]: (payload: LobbyStats) => void;
}

/** The lobby takes no requests. */
export type LobbyClientToServerEvents = Record<string, never>;

/** Events between server processes: none (the adapter carries broadcasts; the store, counts). */
export type InterServerEvents = Record<string, never>;

/** What the handshake middleware puts on `socket.data`. */
export interface SocketData {
  sessionId: string;
  /** The client's network address, for per-address rate limits and logs. */
  address: string;
  /** Set when the server issued a fresh token during this handshake. */
  issuedToken?: string;
  /** This tab said it is idle (hidden, or untouched for a while); active when absent. */
  idle?: boolean;
}
