import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseRoomId } from '../chat/room-id';
import { ChatError, ErrorCode, failure, type Failure } from '../protocol/errors';
import { UPLOAD_ID_PATTERN, UPLOADS_PATH, type UploadResponse } from '../protocol/uploads';
import type { Store, UploadRecord } from '../store/store';
import { clientAddress } from './client-address';
import { processImage } from './images';
import { errorFields, type Logger } from './logger';
import { isAllowedOrigin } from './origin-check';
import { type RateLimits, spendOrRefuse } from './rate-limits';
import { readSessionToken } from './session-cookie';
import type { Sessions } from './sessions';

/** What the upload endpoints need. */
export interface UploadDeps {
  store: Store;
  sessions: Sessions;
  rateLimits: RateLimits;
  logger: Logger;
  /** Largest file a request may send, in bytes. */
  maxUploadBytes: number;
  /** Origins besides the server's own whose pages may upload (`ALLOWED_ORIGINS`). */
  allowedOrigins: readonly string[];
  trustProxy: boolean;
  clock: () => Date;
  /** Pictures decoded at once; the rest wait their turn (default: 2). */
  decodeSlots?: number;
}

/** `/uploads/<id>` or `/uploads/<id>/thumb`. */
const SERVED = /^\/uploads\/([^/]+)(\/thumb)?$/;
const FILE_EXTENSION: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'image/gif': 'gif',
};

/**
 * `POST /uploads?room=ID` takes a picture into a room; `GET /uploads/ID[/thumb]` serves one
 * to the room's members. The request handler answers these and returns false for anything
 * else. Bodies are streamed to a temporary file under the size limit, never held whole per
 * request; decoding, which needs the whole picture, runs a few at a time, so memory stays
 * bounded however many people upload at once.
 */
export function uploadRoutes(deps: UploadDeps) {
  const decoding = new Slots(deps.decodeSlots ?? 2);
  let incoming: Promise<string> | undefined;
  const incomingDir = () => (incoming ??= mkdtemp(path.join(tmpdir(), 'livechat-incoming-')));

  const handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === UPLOADS_PATH) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        send(res, 405, failure(ErrorCode.InvalidInput, 'Upload a picture with POST.'));
      } else {
        void receive(req, res, url.searchParams.get('room') ?? '').catch((error: unknown) => {
          deps.logger.error(errorFields(error), 'upload failed');
          if (!res.headersSent) send(res, 500, internal());
        });
      }
      return true;
    }
    const served = SERVED.exec(url.pathname);
    if (!served) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('allow', 'GET, HEAD');
      res.writeHead(405).end();
      return true;
    }
    void serve(req, res, served[1]!, served[2] !== undefined).catch((error: unknown) => {
      deps.logger.error(errorFields(error), 'serving a picture failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
    return true;
  };

  const receive = async (req: IncomingMessage, res: ServerResponse, rawRoomId: string) => {
    const refusal = await admit(req, rawRoomId);
    if ('failure' in refusal) return refuse(req, res, refusal.status, refusal.failure);
    const { sessionId, roomId } = refusal;
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > deps.maxUploadBytes) return refuse(req, res, 413, tooLarge(deps));
    const file = path.join(await incomingDir(), randomBytes(12).toString('hex'));
    try {
      const received = await receiveInto(req, file, deps.maxUploadBytes);
      if (received === 'too-large') return refuse(req, res, 413, tooLarge(deps));
      if (received === 'aborted') return;
      const processed = await decoding.run(async () => processImage(await readFile(file)));
      if (!processed.ok) {
        const { code, message } = processed.error;
        return send(res, code === 'IMAGE_TOO_BIG' ? 422 : 415, failure(code, message));
      }
      const { image, thumbnail, ...facts } = processed.value;
      const upload: UploadRecord = {
        attachment: {
          id: randomBytes(16).toString('base64url'),
          type: facts.type,
          width: facts.width,
          height: facts.height,
          thumbWidth: facts.thumbWidth,
          thumbHeight: facts.thumbHeight,
          placeholder: facts.placeholder,
          bytes: image.length,
        },
        roomId,
        sessionId,
        createdAt: deps.clock().toISOString(),
        imageKey: sha256(image),
        thumbKey: sha256(thumbnail),
      };
      // The bytes first: an upload row never names a blob that is not whole on disk.
      await deps.store.blobs.put(upload.imageKey, image);
      await deps.store.blobs.put(upload.thumbKey, thumbnail);
      if ((await deps.store.saveUpload(upload)) === 'not-member') {
        return send(res, 403, notMember());
      }
      const answer: UploadResponse = { ok: true, upload: upload.attachment };
      send(res, 201, answer);
    } finally {
      await rm(file, { force: true });
    }
  };

  /** The session and room of an upload that may go ahead, or why it may not. */
  const admit = async (
    req: IncomingMessage,
    rawRoomId: string,
  ): Promise<{ sessionId: string; roomId: string } | { status: number; failure: Failure }> => {
    if (!isAllowedOrigin(req.headers.origin, req.headers.host, deps.allowedOrigins)) {
      const sentence = 'Pictures can only be shared from the chat’s own page.';
      return { status: 403, failure: failure(ErrorCode.CrossSite, sentence) };
    }
    const room = parseRoomId(rawRoomId);
    if (!room.ok) return { status: 400, failure: room };
    const sessionId = await sessionOf(req, deps.sessions);
    if (!sessionId) return { status: 403, failure: notMember() };
    try {
      await spendOrRefuse(deps, 'upload', {
        sessionId,
        address: clientAddress(req, deps.trustProxy),
      });
    } catch (error) {
      if (error instanceof ChatError) return { status: 429, failure: error.toFailure() };
      throw error;
    }
    if (!(await deps.store.getMember(room.value, sessionId))) {
      return { status: 403, failure: notMember() };
    }
    return { sessionId, roomId: room.value };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, id: string, thumb: boolean) => {
    const sessionId = UPLOAD_ID_PATTERN.test(id) ? await sessionOf(req, deps.sessions) : undefined;
    // Not a member, no such upload, or a deleted one: all look the same from outside.
    const upload = sessionId && (await deps.store.readUpload(id, sessionId));
    const key = upload && (thumb ? upload.thumbKey : upload.imageKey);
    const blob = key && (await deps.store.blobs.read(key));
    if (!upload || !key || !blob) {
      if (upload) deps.logger.warn({ uploadId: id, key }, 'a stored picture has no bytes');
      res.writeHead(404, { 'cache-control': 'no-store' }).end();
      return;
    }
    const type = thumb ? 'image/webp' : upload.attachment.type;
    const etag = `"${key}"`;
    const headers = {
      'content-type': type,
      'x-content-type-options': 'nosniff',
      'content-disposition': `inline; filename="picture${thumb ? '-thumbnail' : ''}.${FILE_EXTENSION[type]}"`,
      // Content-addressed: the bytes under this address never change. Private: only members
      // may see them, so no shared cache may keep them.
      'cache-control': 'private, max-age=31536000, immutable',
      etag,
      vary: 'Cookie',
      'content-security-policy': "default-src 'none'; sandbox",
      'cross-origin-resource-policy': 'same-origin',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-length': blob.size });
    if (req.method === 'HEAD') return void res.end();
    await pipeline(blob.stream(), res);
  };

  /** Removes the temporary directory (on shutdown). */
  const close = async () => {
    if (incoming) await rm(await incoming, { recursive: true, force: true });
  };

  return { handle, close };
}

/** The session of a request: its cookie, or for other clients an `Authorization: Bearer` token. */
async function sessionOf(req: IncomingMessage, sessions: Sessions): Promise<string | undefined> {
  const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  return sessions.resolve(bearer ?? readSessionToken(req.headers.cookie));
}

/**
 * Streams the body into `file`, stopping at `limit` bytes: 'too-large' then; 'aborted' when
 * the client went away.
 */
async function receiveInto(
  req: IncomingMessage,
  file: string,
  limit: number,
): Promise<'done' | 'too-large' | 'aborted'> {
  let size = 0;
  let over = false;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) {
        over = true;
        callback(new Error('too large'));
      } else {
        callback(null, chunk);
      }
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(file));
    return 'done';
  } catch {
    return over ? 'too-large' : 'aborted';
  }
}

/**
 * Answers a refusal and stops reading the body: the connection closes after the answer, so
 * a client sending a big file learns at once instead of after sending it all.
 */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: Failure): void {
  if (!req.complete) res.setHeader('connection', 'close');
  send(res, status, body);
  res.on('finish', () => {
    if (!req.complete) req.destroy();
  });
}

function send(res: ServerResponse, status: number, body: UploadResponse): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'cache-control': 'no-store',
  };
  if (!body.ok && body.error.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.ceil(body.error.retryAfterMs / 1000));
  }
  res.writeHead(status, headers);
  res.end(JSON.stringify(body));
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function tooLarge(deps: UploadDeps): Failure {
  const megabytes = Math.floor(deps.maxUploadBytes / (1024 * 1024));
  const limit = megabytes >= 1 ? `${megabytes} MB` : `${Math.floor(deps.maxUploadBytes / 1024)} KB`;
  return failure(ErrorCode.FileTooLarge, `Pictures can be at most ${limit}.`);
}

function notMember(): Failure {
  return failure(ErrorCode.NotInRoom, 'Join the room before sharing pictures in it.');
}

function internal(): Failure {
  return failure(ErrorCode.Internal, 'The picture could not be stored. Try again.');
}

/** At most `size` tasks at once; the rest wait in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}
