import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImageAttachment, Message } from '../../lib/protocol/definitions';
import { ClientEvent, ServerEvent } from '../../lib/protocol/events';
import { imageUrl, thumbnailUrl, uploadUrl, type UploadResponse } from '../../lib/protocol/uploads';
import { sweepUploads, UNSENT_UPLOAD_KEEP_MS } from '../../lib/server/upload-sweeper';
import {
  DEFAULT_TEST_LIMITS,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
  type TestClient,
} from '../helpers/chat-harness';
import { notPlainSentence } from '../helpers/plain-sentence';
import { getPicture, postPicture, sessionCookie } from '../helpers/uploads';
import { jpegWithGps, noisy, pngBomb, solid, SVG, withTextChunk } from '../helpers/pictures';

async function upload(
  harness: Harness,
  client: TestClient | undefined,
  roomId: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
) {
  return postPicture(harness.url, client?.token, roomId, bytes, headers);
}

async function uploaded(harness: Harness, client: TestClient, roomId: string, bytes: Buffer) {
  const { status, body } = await upload(harness, client, roomId, bytes);
  expect(status).toBe(201);
  return expectOk(body).upload;
}

function fetchAs(harness: Harness, client: TestClient | undefined, path: string) {
  return getPicture(harness.url, client?.token, path);
}

function send(client: TestClient, roomId: string, text: string, attachments?: string[]) {
  return client.request(ClientEvent.MessageSend, {
    roomId,
    clientId: randomUUID(),
    text,
    ...(attachments && { attachments }),
  });
}

function expectRefusal(body: UploadResponse, code: string) {
  if (body.ok) throw new Error('expected a refusal');
  expect(body.error.code).toBe(code);
  expect(notPlainSentence(body.error.message)).toBeUndefined();
}

describe('pictures: POST /uploads, then message:send with attachments', () => {
  let harness: Harness;
  let roomId: string;
  let alice: TestClient;
  let bob: TestClient;

  beforeEach(async () => {
    harness = await startHarness({ maxUploadBytes: 200 * 1024 });
    const room = await roomWith(harness, 'alice', 'bob');
    roomId = room.roomId;
    [alice, bob] = room.clients as [TestClient, TestClient];
  });

  afterEach(async () => {
    await harness.close();
  });

  it('delivers a picture to the room: members fetch it, stripped of its GPS position', async () => {
    const { bytes, gpsEntry } = await jpegWithGps(1200, 800);
    expect(bytes.includes(gpsEntry)).toBe(true);
    const picture = await uploaded(harness, alice, roomId, bytes);
    expect(picture).toMatchObject({
      type: 'image/jpeg',
      width: 1200,
      height: 800,
      thumbWidth: 480,
      thumbHeight: 320,
    });
    expect(picture.placeholder).toMatch(/^[A-Za-z0-9+/]+=*$/);

    const heard = bob.next<Message>(ServerEvent.MessageNew);
    const sent = expectOk(await send(alice, roomId, 'the view', [picture.id]));
    expect(sent.message.attachments).toEqual([picture]);
    expect((await heard).attachments).toEqual([picture]);

    const full = await fetchAs(harness, bob, imageUrl(picture.id));
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toBe('image/jpeg');
    expect(full.headers.get('x-content-type-options')).toBe('nosniff');
    expect(full.headers.get('content-disposition')).toBe('inline; filename="picture.jpg"');
    expect(full.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    const stored = Buffer.from(await full.arrayBuffer());
    expect(stored.length).toBe(picture.bytes);
    expect(stored.includes(gpsEntry)).toBe(false);
    const metadata = await sharp(stored).metadata();
    expect(metadata).toMatchObject({ format: 'jpeg', width: 1200, height: 800 });
    expect(metadata.exif).toBeUndefined();

    const thumb = await fetchAs(harness, bob, thumbnailUrl(picture.id));
    expect(thumb.headers.get('content-type')).toBe('image/webp');
    const thumbnail = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect(thumbnail).toMatchObject({ format: 'webp', width: 480, height: 320 });

    // Conditional requests: the bytes under an address never change.
    const again = await fetch(`${harness.url}${imageUrl(picture.id)}`, {
      headers: { cookie: sessionCookie(bob.token), 'if-none-match': full.headers.get('etag')! },
    });
    expect(again.status).toBe(304);

    // History and a newcomer's join carry the pictures too.
    const carol = await harness.connect();
    const joined = expectOk(
      await carol.request(ClientEvent.RoomJoin, { roomId, nickname: 'carol' }),
    );
    const shown = joined.messages.find((message) => message.seq === sent.message.seq);
    expect(shown?.attachments).toEqual([picture]);
  });

  it('takes several pictures in one message, and a picture with no caption', async () => {
    const pictures: ImageAttachment[] = [];
    for (const colour of ['#f00', '#0f0', '#00f']) {
      pictures.push(
        await uploaded(harness, alice, roomId, await solid(64, 48, colour).png().toBuffer()),
      );
    }
    const sent = expectOk(
      await send(
        alice,
        roomId,
        '',
        pictures.map((each) => each.id),
      ),
    );
    expect(sent.message.text).toBe('');
    expect(sent.message.attachments?.map((each) => each.id)).toEqual(pictures.map((p) => p.id));
    // Without pictures, an empty message is still refused.
    const empty = await send(alice, roomId, '  ');
    expect(empty.ok || empty.error.code).toBe('INVALID_INPUT');
    // Five pictures are more than a message takes.
    const five = await send(alice, roomId, 'too many', Array(5).fill(pictures[0]!.id));
    expect(five.ok || five.error.code).toBe('INVALID_INPUT');
  });

  it('attaches an upload once: a retry returns the same message, another send is refused', async () => {
    const picture = await uploaded(harness, alice, roomId, await solid(40, 40).png().toBuffer());
    const clientId = randomUUID();
    const payload = { roomId, clientId, text: 'once', attachments: [picture.id] };
    const first = expectOk(await alice.request(ClientEvent.MessageSend, payload));
    const retry = expectOk(await alice.request(ClientEvent.MessageSend, payload));
    expect(retry.message).toEqual(first.message);

    const reused = await send(alice, roomId, 'twice', [picture.id]);
    expect(reused.ok || reused.error.code).toBe('UPLOAD_NOT_FOUND');
    // Someone else's upload cannot be attached either.
    const bobs = await uploaded(harness, bob, roomId, await solid(40, 40).png().toBuffer());
    const stolen = await send(alice, roomId, 'mine now', [bobs.id]);
    expect(stolen.ok || stolen.error.code).toBe('UPLOAD_NOT_FOUND');
    if (!stolen.ok) expect(notPlainSentence(stolen.error.message)).toBeUndefined();
  });

  it('serves pictures to members only: others, and requests without a session, get 404', async () => {
    const picture = await uploaded(harness, alice, roomId, await solid(40, 40).png().toBuffer());
    expectOk(await send(alice, roomId, 'members only', [picture.id]));
    const stranger = await harness.connect();
    for (const who of [stranger, undefined]) {
      expect((await fetchAs(harness, who, imageUrl(picture.id))).status).toBe(404);
      expect((await fetchAs(harness, who, thumbnailUrl(picture.id))).status).toBe(404);
    }
    expect((await fetchAs(harness, bob, imageUrl('not-an-id'))).status).toBe(404);
    expect((await fetchAs(harness, bob, imageUrl('A'.repeat(22)))).status).toBe(404);

    // Uploading needs membership too.
    const refused = await upload(harness, stranger, roomId, await solid(40, 40).png().toBuffer());
    expect(refused.status).toBe(403);
    expectRefusal(refused.body, 'NOT_IN_ROOM');
    // A member who leaves no longer sees the room's pictures.
    expectOk(await bob.request(ClientEvent.RoomLeave, { roomId }));
    expect((await fetchAs(harness, bob, imageUrl(picture.id))).status).toBe(404);
  });

  it('refuses, with sentences, what is not a picture it shares', async () => {
    const png = await solid(40, 40).png().toBuffer();
    const noise = await noisy(200, 200).png().toBuffer();
    const cases: Array<[string, Buffer, number, string]> = [
      ['text', Buffer.from('not a picture at all\n'), 415, 'UNSUPPORTED_IMAGE'],
      ['svg', SVG, 415, 'UNSUPPORTED_IMAGE'],
      ['truncated', noise.subarray(0, Math.floor(noise.length / 2)), 415, 'UNSUPPORTED_IMAGE'],
      ['empty', Buffer.alloc(0), 415, 'UNSUPPORTED_IMAGE'],
      ['pixel bomb', pngBomb(20_000), 422, 'IMAGE_TOO_BIG'],
    ];
    for (const [, bytes, status, code] of cases) {
      const answer = await upload(harness, alice, roomId, bytes, { 'content-type': 'image/png' });
      expect(answer.status).toBe(status);
      expectRefusal(answer.body, code);
    }
    // A polyglot is re-encoded: the script appended to it is not in what is stored.
    const script = '<script>alert(document.cookie)</script>';
    const polyglot = withTextChunk(png, `<html><body>${script}</body></html>`);
    const picture = await uploaded(harness, alice, roomId, polyglot);
    expectOk(await send(alice, roomId, '', [picture.id]));
    const stored = Buffer.from(
      await (await fetchAs(harness, bob, imageUrl(picture.id))).arrayBuffer(),
    );
    expect(stored.includes(script)).toBe(false);
  });

  it('refuses files over the size limit, whether or not their length is declared', async () => {
    const big = await noisy(400, 400).png().toBuffer();
    expect(big.length).toBeGreaterThan(200 * 1024);
    const declared = await upload(harness, alice, roomId, big);
    expect(declared.status).toBe(413);
    expectRefusal(declared.body, 'FILE_TOO_LARGE');
    expect(declared.body.ok || declared.body.error.message).toBe('Pictures can be at most 200 KB.');

    // Chunked, with no Content-Length: the limit holds while the body streams in.
    const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(`${harness.url}${uploadUrl(roomId)}`);
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: { cookie: sessionCookie(alice.token), 'transfer-encoding': 'chunked' },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      for (let at = 0; at < big.length; at += 16 * 1024)
        req.write(big.subarray(at, at + 16 * 1024));
      req.end();
    });
    expect(chunked.status).toBe(413);
    expect((JSON.parse(chunked.body) as UploadResponse).ok).toBe(false);
  });

  it('refuses an upload from another site’s page', async () => {
    const answer = await upload(harness, alice, roomId, await solid(40, 40).png().toBuffer(), {
      origin: 'https://evil.example',
    });
    expect(answer.status).toBe(403);
    expectRefusal(answer.body, 'CROSS_SITE');
  });

  it('deletes a message’s pictures with it, and sweeps unsent uploads after a day', async () => {
    const picture = await uploaded(harness, alice, roomId, await solid(40, 40).png().toBuffer());
    const sent = expectOk(await send(alice, roomId, 'soon gone', [picture.id]));
    const unsent = await uploaded(
      harness,
      alice,
      roomId,
      await solid(30, 30, '#0f0').png().toBuffer(),
    );
    const deleted = expectOk(
      await alice.request(ClientEvent.MessageDelete, { roomId, seq: sent.message.seq }),
    );
    expect(deleted.message.attachments).toBeUndefined();
    expect((await fetchAs(harness, bob, imageUrl(picture.id))).status).toBe(404);

    const { imageKey } = (await harness.store.readUpload(
      unsent.id,
      await sessionIdOf(harness, alice),
    ))!;
    // A sweep within the day keeps the unsent upload; the deleted message's bytes go.
    const soon = await sweepUploads(harness.store, new Date(Date.now() + 60 * 60 * 1000));
    expect(soon).toEqual({ uploads: 0, blobs: 2 });
    expect(await harness.store.blobs.read(imageKey)).toBeDefined();
    const later = await sweepUploads(
      harness.store,
      new Date(Date.now() + UNSENT_UPLOAD_KEEP_MS + 60_000),
    );
    expect(later).toEqual({ uploads: 1, blobs: 2 });
    expect(await harness.store.blobs.read(imageKey)).toBeUndefined();
    const late = await send(alice, roomId, 'too late', [unsent.id]);
    expect(late.ok || late.error.code).toBe('UPLOAD_NOT_FOUND');
  });
});

describe('pictures: rate limits', () => {
  it('limits uploads per session, answering 429 with Retry-After', async () => {
    const harness = await startHarness({
      rateLimits: { ...DEFAULT_TEST_LIMITS, uploadsPerMinute: 2 },
    });
    try {
      const { roomId, clients } = await roomWith(harness, 'alice');
      const png = await solid(20, 20).png().toBuffer();
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++)
        statuses.push((await upload(harness, clients[0], roomId, png)).status);
      // A burst of the same size again is allowed on top of the sustained rate.
      expect(statuses).toEqual([201, 201, 201, 201, 429]);
      const limited = await upload(harness, clients[0], roomId, png);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expectRefusal(limited.body, 'RATE_LIMITED');
    } finally {
      await harness.close();
    }
  });
});

async function sessionIdOf(harness: Harness, client: TestClient): Promise<string> {
  return (await harness.chat.sessions.resolve(client.token))!;
}
