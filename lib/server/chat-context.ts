import type { ChatService } from './chat-service';
import type { InFlightRequests } from './in-flight';
import type { LobbyFeed } from './lobby-feed';
import type { Logger } from './logger';
import type { MemberListThrottle } from './member-list-throttle';
import type { ChatMetrics } from './metrics';
import type { RateLimits } from './rate-limits';
import type { RoomKeeping } from './room-keeping';
import type { RoomLifecycle } from './room-lifecycle';
import type { ChatServer } from './socket-types';

/** What every socket handler works with. */
export interface ChatContext {
  io: ChatServer;
  chat: ChatService;
  keeping: RoomKeeping;
  rooms: RoomLifecycle;
  lobby: LobbyFeed;
  memberLists: MemberListThrottle;
  logger: Logger;
  rateLimits: RateLimits;
  metrics?: ChatMetrics;
  inFlight: InFlightRequests;
  clock: () => Date;
}
