import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageAttachment } from '../../lib/protocol/definitions';
import { ClientEvent } from '../../lib/protocol/events';
import { imageUrl, thumbnailUrl, uploadUrl } from '../../lib/protocol/uploads';
import { BLOBS_DIR } from '../../lib/store/sqlite-store';
import { connectTestClient, expectOk, type TestClient } from '../helpers/chat-harness';
import { noisy, solid } from '../helpers/pictures';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';
import { getPicture, postPicture, sessionCookie } from '../helpers/uploads';

interface Backend {
  env: Record<string, string>;
  /** The blob files on disk, for a backend that keeps them there. */
  blobFiles?: () => string[];
  cleanup(): Promise<void>;
}

async function sqliteBackend(): Promise<Backend> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livechat-pictures-'));
  const blobs = path.join(dataDir, BLOBS_DIR);
  return {
    env: { DATA_DIR: dataDir },
    blobFiles: () =>
      readdirSync(blobs, { recursive: true, encoding: 'utf8' })
        .map((entry) => path.join(blobs, entry))
        .filter((file) => statSync(file).isFile() && !file.includes(`${path.sep}tmp${path.sep}`)),
    cleanup: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}

async function postgresBackend(adminUrl: string): Promise<Backend> {
  const database = await freshPostgresDatabase(adminUrl);
  return { env: { DATABASE_URL: database.url }, cleanup: database.drop };
}

const databaseUrl = serviceUrl('DATABASE_URL');
const backends: Array<[string, () => Promise<Backend>]> = [['SQLite', sqliteBackend]];
if (databaseUrl) backends.push(['PostgreSQL', () => postgresBackend(databaseUrl)]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Starts a picture's upload and sends only part of its body; resolves once the part is sent. */
function startUpload(url: string, token: string, roomId: string, partOf: Buffer) {
  return new Promise<void>((resolve) => {
    const req = httpRequest(new URL(`${url}${uploadUrl(roomId)}`), {
      method: 'POST',
      headers: { cookie: sessionCookie(token), 'content-length': String(partOf.length) },
    });
    req.on('error', () => {}); // the server dies under it
    req.write(partOf.subarray(0, Math.floor(partOf.length / 2)), () => resolve());
  });
}

describe.each(backends)('pictures across a kill -9 of the server on %s', (_name, makeBackend) => {
  let backend: Backend;
  let server: ServerProcess | undefined;
  const clients: TestClient[] = [];
  const connect = async (token?: string) => {
    const client = await connectTestClient(server!.url, { token });
    clients.push(client);
    return client;
  };
  const start = async () => {
    server = await startServerProcess({
      ...backend.env,
      MEMBER_GRACE_SECONDS: '30',
      RATE_LIMITS: 'off',
    });
  };

  beforeAll(async () => {
    backend = await makeBackend();
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await backend.cleanup();
  });

  it('keeps every acknowledged picture whole, and nothing half stored', async () => {
    await start();
    const alice = await connect();
    const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));

    // Pictures sent and acknowledged, with the bytes served before the crash.
    const sent: Array<{ seq: number; picture: ImageAttachment; digest: string }> = [];
    for (const colour of ['#a00', '#0a0', '#00a']) {
      const bytes = await solid(900, 600, colour).jpeg().toBuffer();
      const { body } = await postPicture(server!.url, alice.token, roomId, bytes);
      const picture = expectOk(body).upload;
      const message = expectOk(
        await alice.request(ClientEvent.MessageSend, {
          roomId,
          clientId: randomUUID(),
          text: colour,
          attachments: [picture.id],
        }),
      ).message;
      const served = await getPicture(server!.url, alice.token, imageUrl(picture.id));
      sent.push({
        seq: message.seq,
        picture,
        digest: sha256(Buffer.from(await served.arrayBuffer())),
      });
    }

    // Uploads in flight, and a big one being processed, when the process dies.
    const big = await noisy(1500, 1500).png().toBuffer(); // about 6 MB: under the limit
    await Promise.all([
      startUpload(server!.url, alice.token, roomId, big),
      startUpload(server!.url, alice.token, roomId, await noisy(800, 800).png().toBuffer()),
    ]);
    const processing = postPicture(server!.url, alice.token, roomId, big).then(
      (answer) => answer.status,
      () => 'cut off',
    );
    await new Promise((resolve) => setTimeout(resolve, 150));
    server!.child.kill('SIGKILL');
    await server!.exited;
    // Cut off by the crash, not answered: the kill came while it was being stored.
    expect(await processing).toBe('cut off');

    await start();
    const back = await connect(alice.token);
    const joined = expectOk(
      await back.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }),
    );
    for (const { seq, picture, digest } of sent) {
      const message = joined.messages.find((each) => each.seq === seq);
      expect(message?.attachments).toEqual([picture]);
      const served = await getPicture(server!.url, back.token, imageUrl(picture.id));
      expect(served.status).toBe(200);
      expect(sha256(Buffer.from(await served.arrayBuffer()))).toBe(digest);
      const thumb = await getPicture(server!.url, back.token, thumbnailUrl(picture.id));
      expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBe(480);
    }
    // Every blob file on disk is whole: its name is the digest of its bytes.
    for (const file of backend.blobFiles?.() ?? []) {
      expect(sha256(readFileSync(file))).toBe(path.basename(file));
    }
  });
});
