import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { checkMessageText } from '../chat/message-text';
import { errorFields, type Logger } from './logger';
import type { ChatMetrics } from './metrics';

/** What the operations endpoints need. */
export interface OpsDeps {
  logger: Logger;
  metrics: ChatMetrics;
  /** Each must resolve when its dependency is reachable (store, Redis). */
  readinessChecks: Record<string, () => Promise<void>>;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** When unset, `POST /admin/announce` does not exist. */
  adminToken: string | undefined;
  announce(text: string): void;
  /**
   * Answer any other request that is not GET or HEAD with 405: pages and assets only read
   * (livechat has no server actions), so a cross-site form POST reaches nothing. Off in
   * development, where Next.js's own tooling posts to its endpoints.
   */
  readOnlyPages: boolean;
}

const MAX_BODY_BYTES = 16 * 1024;
const READINESS_TIMEOUT_MS = 2_000;
const announceBody = z.strictObject({ text: z.string().max(MAX_BODY_BYTES) });
/** The liveness probe, and `/health`, which load balancers and people often try first. */
const HEALTH_PATHS = new Set(['/healthz', '/health']);

/**
 * Health, readiness, metrics and the admin announcement, answered before Next.js sees the
 * request, and the refusal of methods pages do not take. Returns false for any other request.
 */
export function handleOpsRequest(
  req: IncomingMessage,
  res: ServerResponse,
  deps: OpsDeps,
): boolean {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (HEALTH_PATHS.has(path) && req.method === 'GET') {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  if (path === '/readyz' && req.method === 'GET') {
    void readiness(deps).then(({ ready, checks }) => sendJson(res, ready ? 200 : 503, checks));
    return true;
  }
  if (path === '/metrics' && req.method === 'GET') {
    if (deps.metricsToken && !hasBearer(req, deps.metricsToken)) {
      sendJson(res, 401, { error: 'A valid METRICS_TOKEN bearer token is required.' });
      return true;
    }
    void deps.metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        res.end(text);
      },
      (error: unknown) => {
        deps.logger.error(errorFields(error), 'metrics collection failed');
        sendJson(res, 500, { error: 'Metrics could not be collected.' });
      },
    );
    return true;
  }
  if (path === '/admin/announce' && deps.adminToken) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { error: 'Use POST.' });
    } else if (!hasBearer(req, deps.adminToken)) {
      sendJson(res, 401, { error: 'A valid ADMIN_TOKEN bearer token is required.' });
    } else {
      void announceFrom(req, res, deps);
    }
    return true;
  }
  if (deps.readOnlyPages && req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'This address only serves pages: use GET.' });
    return true;
  }
  return false;
}

async function readiness(deps: OpsDeps) {
  const checks: Record<string, string> = {};
  let ready = true;
  await Promise.all(
    Object.entries(deps.readinessChecks).map(async ([name, check]) => {
      try {
        await withTimeout(check(), READINESS_TIMEOUT_MS);
        checks[name] = 'ok';
      } catch (error) {
        ready = false;
        checks[name] = 'unreachable';
        deps.logger.warn({ check: name, ...errorFields(error) }, 'readiness check failed');
      }
    }),
  );
  return { ready, checks };
}

async function announceFrom(req: IncomingMessage, res: ServerResponse, deps: OpsDeps) {
  const raw = await readBody(req);
  let parsed: unknown;
  try {
    parsed = raw === undefined ? undefined : JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const body = announceBody.safeParse(parsed);
  const text = body.success ? checkMessageText(body.data.text) : undefined;
  if (!text?.ok) {
    const reason =
      text && !text.ok ? text.error.message : 'Send JSON {"text": "…"} of at most 16 KB.';
    sendJson(res, 400, { error: reason });
    return;
  }
  deps.announce(text.value);
  deps.logger.info({ length: text.value.length }, 'announcement sent');
  sendJson(res, 202, { ok: true });
}

/** Reads a small body; undefined when it is bigger than allowed (the rest is discarded). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined),
    );
    req.on('error', () => resolve(undefined));
  });
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const presented = Buffer.from(req.headers.authorization ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref(),
    ),
  ]);
}
