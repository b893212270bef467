/**
 * livechat's only entry point: one HTTP server on one port carrying the Next.js app and the
 * Socket.IO chat. Wiring only; behaviour lives in lib/.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import next from 'next';
import { ConfigError, loadConfig } from './lib/server/config';
import { createChatServer } from './lib/server/create-chat-server';
import { createJsonLogger, errorFields } from './lib/server/logger';
import { RateLimits } from './lib/server/rate-limits';
import { ensureSessionCookie } from './lib/server/session-cookie';
import { openStore } from './lib/store/open-store';

const SHUTDOWN_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createJsonLogger();
  const { store, description: storeDescription } = await openStore(config);

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

  const chat = createChatServer(httpServer, {
    store,
    logger,
    memberGraceMs: config.memberGraceMs,
    clock: () => new Date(),
    randomBytes,
    newMessageId: randomUUID,
    rateLimits: new RateLimits(config.rateLimits),
    allowedOrigins: config.allowedOrigins,
    trustProxy: config.trustProxy,
  });
  // Socket.IO answers its own path first; every other request is a page or an asset.
  httpServer.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io/')) return;
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
    { port, host: config.host ?? 'all interfaces', dev: config.dev, store: storeDescription },
    `livechat ready on http://${config.host ?? 'localhost'}:${port}`,
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const forceExit = setTimeout(() => process.exit(1), SHUTDOWN_TIMEOUT_MS);
    forceExit.unref();
    chat
      .close()
      .then(() => store.close())
      .then(() => process.exit(0))
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
