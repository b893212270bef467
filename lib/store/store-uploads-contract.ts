import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lookKeys } from '../chat/nickname';
import type { StoreFixture } from './store-contract';
import type { Store, UploadRecord } from './store';

const NOW = '2026-01-01T00:00:00.000Z';
const keyOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * What every backend keeps of pictures: uploads tied to a room and session, attached once by
 * the message that sends them, gone with that message or its room, and their bytes in the
 * backend's blob store until no upload names them. Run beside `describeStoreContract`.
 */
export function describeUploadsContract(backend: string, makeFixture: () => Promise<StoreFixture>) {
  describe(`${backend} store: pictures`, () => {
    let fixture: StoreFixture;
    let store: Store;
    let roomId: string;

    beforeEach(async () => {
      fixture = await makeFixture();
      store = await fixture.open();
      roomId = `room-${randomUUID().slice(0, 8)}`;
      await store.createRoom(roomId, NOW);
      for (const [sessionId, nickname] of [
        ['s-ann', 'Ann'],
        ['s-bob', 'Bob'],
      ] as const) {
        await store.claimMember({
          roomId,
          sessionId,
          nickname,
          nicknameKey: nickname.toLowerCase(),
          lookKeys: lookKeys(nickname),
          joinedAt: NOW,
        });
      }
    });
    afterEach(async () => {
      await store.close();
      await fixture.destroy();
    });

    /** Stores a picture's bytes and its upload, as the upload route does. */
    const upload = async (sessionId: string, room = roomId, createdAt = NOW) => {
      const image = randomBytes(2000);
      const thumbnail = randomBytes(300);
      const record: UploadRecord = {
        attachment: {
          id: randomBytes(16).toString('base64url'),
          type: 'image/png',
          width: 640,
          height: 480,
          thumbWidth: 480,
          thumbHeight: 360,
          placeholder: 'AAAA',
          bytes: image.length,
        },
        roomId: room,
        sessionId,
        createdAt,
        imageKey: keyOf(image),
        thumbKey: keyOf(thumbnail),
      };
      await store.blobs.put(record.imageKey, image);
      await store.blobs.put(record.thumbKey, thumbnail);
      return { record, status: await store.saveUpload(record), image };
    };
    const send = (sessionId: string, attachments: string[], text = 'caption') =>
      store.appendUserMessage({
        id: randomUUID(),
        roomId,
        sessionId,
        clientId: randomUUID(),
        text,
        createdAt: NOW,
        attachments,
      });
    const everything = async () => {
      const page = await store.listMessages(roomId, { limit: 50 });
      return page.messages;
    };

    it('keeps an upload for members of its room only, and none for non-members', async () => {
      const { record, status } = await upload('s-ann');
      expect(status).toBe('saved');
      expect(await store.readUpload(record.attachment.id, 's-bob')).toEqual(record);
      expect(await store.readUpload(record.attachment.id, 's-stranger')).toBeUndefined();
      expect((await upload('s-stranger')).status).toBe('not-member');
      expect(await store.readUpload('no-such-upload', 's-ann')).toBeUndefined();
    });

    it('attaches uploads to a message once, in order, carried wherever it is read', async () => {
      const first = await upload('s-ann');
      const second = await upload('s-ann');
      const ids = [second.record.attachment.id, first.record.attachment.id];
      const outcome = await send('s-ann', ids, '');
      if (outcome.status !== 'stored') throw new Error(outcome.status);
      const attachments = [second.record.attachment, first.record.attachment];
      expect(outcome.message.attachments).toEqual(attachments);
      expect((await everything()).at(-1)?.attachments).toEqual(attachments);

      expect(await send('s-ann', [first.record.attachment.id])).toEqual({
        status: 'no-upload',
        uploadId: first.record.attachment.id,
      });
      const bobs = await upload('s-bob');
      expect((await send('s-ann', [bobs.record.attachment.id])).status).toBe('no-upload');
      // A refused send stores nothing: the upload is still Bob's to send.
      expect((await send('s-bob', [bobs.record.attachment.id])).status).toBe('stored');
    });

    it('deletes a message’s uploads with it; its bytes go at the next sweep', async () => {
      const { record, image } = await upload('s-ann');
      const outcome = await send('s-ann', [record.attachment.id]);
      if (outcome.status !== 'stored') throw new Error(outcome.status);
      const keys = [record.imageKey, record.thumbKey];
      expect(await store.referencedBlobs(keys)).toEqual(new Set(keys));
      expect(await buffer((await store.blobs.read(record.imageKey))!.stream())).toEqual(image);

      const deleted = await store.changeMessage({
        roomId,
        sessionId: 's-ann',
        seq: outcome.message.seq,
        change: { kind: 'delete' },
        at: NOW,
      });
      expect(deleted.status === 'changed' && deleted.message.attachments).toBe(undefined);
      expect(await store.readUpload(record.attachment.id, 's-bob')).toBeUndefined();
      expect(await store.referencedBlobs(keys)).toEqual(new Set());
      // Swept only once older than the cut-off: a blob being stored is never taken.
      const referenced = (found: string[]) => store.referencedBlobs(found);
      expect(await store.blobs.sweep(new Date(Date.now() - 60_000), referenced)).toBe(0);
      expect(await store.blobs.sweep(new Date(Date.now() + 60_000), referenced)).toBe(2);
      expect(await store.blobs.read(record.imageKey)).toBeUndefined();
    });

    it('sweeps uploads never sent once old, and a room’s uploads go with the room', async () => {
      const old = await upload('s-ann', roomId, '2025-12-01T00:00:00.000Z');
      const fresh = await upload('s-ann');
      const sent = await upload('s-ann', roomId, '2025-12-01T00:00:00.000Z');
      expect((await send('s-ann', [sent.record.attachment.id])).status).toBe('stored');
      expect(await store.sweepUploads('2025-12-15T00:00:00.000Z')).toBe(1);
      expect(await store.readUpload(old.record.attachment.id, 's-ann')).toBeUndefined();
      expect(await store.readUpload(fresh.record.attachment.id, 's-ann')).toBeDefined();
      expect(await store.readUpload(sent.record.attachment.id, 's-ann')).toBeDefined();

      for (const sessionId of ['s-ann', 's-bob']) await store.removeMember(roomId, sessionId);
      expect(await store.deleteRoomIfEmpty(roomId)).toBe(true);
      const keys = [fresh.record.imageKey, sent.record.imageKey];
      expect(await store.referencedBlobs(keys)).toEqual(new Set());
    });

    it('writes a blob once per content: the same bytes again are harmless', async () => {
      const bytes = randomBytes(500);
      await store.blobs.put(keyOf(bytes), bytes);
      await store.blobs.put(keyOf(bytes), bytes);
      const read = await store.blobs.read(keyOf(bytes));
      expect(read?.size).toBe(500);
      expect(await store.blobs.read(keyOf(randomBytes(10)))).toBeUndefined();
    });
  });
}
