/**
 * livechat's only entry point: one HTTP server on one port carrying the Next.js app and the
 * Socket.IO chat. Wiring only; behaviour lives in lib/.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { ConfigError, loadConfig } from './lib/server/config';
import { LocalConnectionCounts, RedisConnectionCounts } from './lib/server/connection-cap';
import { createChatServer } from './lib/server/create-chat-server';
import { createLogger, errorFields } from './lib/server/logger';
import { ChatMetrics } from './lib/server/metrics';
import { handleOpsRequest } from './lib/server/ops-routes';
import { uploadRoutes } from './lib/server/upload-routes';
import { startUploadSweeper } from './lib/server/upload-sweeper';
import { RateLimits } from './lib/server/rate-limits';
import { connectRedis, redisLimiters, redisStreamsAdapter } from './lib/server/redis';
import { ensureSessionCookie } from './lib/server/session-cookie';
import { openStore } from './lib/store/open-store';

/** How long open HTTP connections may finish by themselves once the chat has drained. */
const CLOSE_GRACE_MS = 1_000;

async function main(): Promise<void> {
  // An optional .env file; variables already set in the environment win.
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  // A terminal gets readable lines; a pipe or file, JSON for machines.
  const logger = createLogger({ level: config.logLevel, readable: process.stdout.isTTY === true });
  const { store, description: storeDescription } = await openStore(config);
  const redis = config.redisUrl ? await connectRedis(config.redisUrl, logger) : undefined;

  const httpServer = createServer();
  const nextApp = next({
    dev: config.dev,
    dir: projectDir(),
    hostname: config.host ?? 'localhost',
    port: config.port,
    httpServer,
  });
  await nextApp.prepare();
  const handleNext = nextApp.getRequestHandler();

  let connectedSockets = () => 0;
  const metrics = new ChatMetrics({
    connectedSockets: () => connectedSockets(),
    counts: () => store.counts(),
  });
  const rateLimits = new RateLimits(
    config.rateLimits,
    redis ? redisLimiters(redis, config.redisKeyPrefix) : undefined,
  );
  const chat = createChatServer(httpServer, {
    store,
    logger,
    metrics,
    memberGraceMs: config.memberGraceMs,
    clock: () => new Date(),
    randomBytes,
    newMessageId: randomUUID,
    rateLimits,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    socketOptions: redis
      ? { adapter: redisStreamsAdapter(redis, config.redisKeyPrefix) }
      : undefined,
    clustered: redis !== undefined,
    connectionCap: {
      counts: redis
        ? await RedisConnectionCounts.start({
            client: redis,
            keyPrefix: config.redisKeyPrefix,
            processId: randomUUID(),
            cap: config.maxConnectionsPerAddress,
            logger,
          })
        : new LocalConnectionCounts(config.maxConnectionsPerAddress),
      cap: config.maxConnectionsPerAddress,
      unjoinedTimeoutMs: config.unjoinedTimeoutMs,
    },
  });
  connectedSockets = () => chat.io.engine.clientsCount;
  const uploads = uploadRoutes({
    store,
    sessions: chat.sessions,
    rateLimits,
    logger,
    maxUploadBytes: config.maxUploadBytes,
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
    clock: () => new Date(),
  });
  const stopSweeper = startUploadSweeper({ store, logger, clock: () => new Date() });

  const readinessChecks: Record<string, () => Promise<void>> = { store: () => store.ping() };
  if (redis) readinessChecks.redis = async () => void (await redis.ping());

  // Socket.IO answers its own path first; then pictures and operations endpoints; then pages
  // and assets.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
    if (uploads.handle(req, res)) return;
    const ops = {
      logger,
      metrics,
      readinessChecks,
      metricsToken: config.metricsToken,
      adminToken: config.adminToken,
      announce: (text: string) => chat.announce(text),
      readOnlyPages: !config.dev,
    };
    if (handleOpsRequest(req, res, ops)) return;
    const pageRequest = !req.url?.startsWith('/_next/');
    const ready = pageRequest
      ? ensureSessionCookie(req, res, chat.sessions, config)
      : Promise.resolve();
    ready
      .then(() => handleNext(req, res))
      .catch((error: unknown) => {
        logger.error({ url: req.url, ...errorFields(error) }, 'request failed');
        if (!res.headersSent) res.writeHead(500).end('Internal Server Error');
      });
  });
  await chat.resume();

  await new Promise<void>((resolve) => httpServer.listen(config.port, config.host, resolve));
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      port,
      host: config.host ?? 'all interfaces',
      dev: config.dev,
      store: storeDescription,
      redis: redis ? 'connected' : 'off',
    },
    `livechat ready on http://${config.host ?? 'localhost'}:${port}`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => {
      logger.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    forceExit.unref();
    const drainMs = Math.max(100, config.shutdownTimeoutMs / 2);
    chat
      .drain(drainMs)
      .then(async () => {
        httpServer.closeIdleConnections();
        // Connections nobody closes on their own (keep-alive requests in progress, the dev
        // hot-reload socket) would hold the HTTP server open: cut them after a moment.
        const cutOff = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
        await chat.close();
        clearTimeout(cutOff);
        stopSweeper();
        await uploads.close();
      })
      .then(() => store.close())
      .then(() => redis?.quit())
      .then(() => {
        logger.info({}, 'stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error(errorFields(error), 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

/** The project root, whether running from source (tsx) or from the compiled `dist/`. */
function projectDir(): string {
  return path.basename(__dirname) === 'dist' ? path.dirname(__dirname) : __dirname;
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`livechat failed to start: ${String((error as Error)?.stack ?? error)}\n`);
  }
  process.exit(1);
});
