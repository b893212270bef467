import { createAdapter } from '@socket.io/redis-streams-adapter';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { createClient } from 'redis';
import { errorFields, type Logger } from './logger';
import type { LimiterFactory } from './rate-limits';

/** Opens a node-redis client (not yet connected). */
function openClient(url: string) {
  return createClient({ url });
}

/** A connected node-redis client. */
export type RedisClient = ReturnType<typeof openClient>;

/** Connects to Redis; connection errors are logged (the client reconnects by itself). */
export async function connectRedis(url: string, logger: Logger): Promise<RedisClient> {
  const client = openClient(url);
  client.on('error', (error: unknown) => logger.error(errorFields(error), 'redis error'));
  await client.connect();
  return client;
}

/**
 * The Socket.IO adapter that carries broadcasts between server processes: the official Redis
 * Streams adapter (it also keeps packets for connection state recovery, unlike pub/sub).
 */
export function redisStreamsAdapter(client: RedisClient, keyPrefix: string) {
  return createAdapter(client, { streamName: `${keyPrefix}:socket.io` });
}

/** Rate-limit counters in Redis, shared by every server process. */
export function redisLimiters(client: RedisClient, keyPrefix: string): LimiterFactory {
  return (options) =>
    new RateLimiterRedis({
      ...options,
      keyPrefix: `${keyPrefix}:${options.keyPrefix}`,
      storeClient: client,
      useRedisPackage: true,
    });
}
