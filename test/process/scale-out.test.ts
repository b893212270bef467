import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io as connectClient, type Socket } from 'socket.io-client';
import type { LobbyRoom, LobbyStats, Member, Message } from '../../lib/protocol/definitions';
import {
  ClientEvent,
  LOBBY_NAMESPACE,
  LobbyEvent,
  ServerEvent,
  type LobbyServerToClientEvents,
} from '../../lib/protocol/events';
import { JOIN_HISTORY_LIMIT } from '../../lib/protocol/limits';
import { connectTestClient, eventually, expectOk, type TestClient } from '../helpers/chat-harness';
import { person, type Person } from '../helpers/chat-person';
import { startServerProcess, type ServerProcess } from '../helpers/server-process';
import { freshPostgresDatabase, serviceUrl } from '../helpers/services';
import { slowLink } from '../helpers/slow-link';
import { solid } from '../helpers/pictures';
import { getPicture, postPicture } from '../helpers/uploads';
import { imageUrl } from '../../lib/protocol/uploads';
import sharp from 'sharp';

const databaseUrl = serviceUrl('DATABASE_URL');
const redisUrl = serviceUrl('REDIS_URL');
const GRACE_SECONDS = 1;

/** A landing page's view of the lobby on one process. */
function connectLobby(url: string) {
  const socket: Socket<LobbyServerToClientEvents> = connectClient(url + LOBBY_NAMESPACE, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  const seen = { socket, rooms: undefined as LobbyRoom[] | undefined, stats: [] as LobbyStats[] };
  socket.on(LobbyEvent.Rooms, ({ rooms }) => (seen.rooms = rooms));
  socket.on(LobbyEvent.Stats, (stats) => seen.stats.push(stats));
  return seen;
}

describe.skipIf(!databaseUrl || !redisUrl)(
  'several server processes on PostgreSQL and Redis',
  () => {
    let database: Awaited<ReturnType<typeof freshPostgresDatabase>>;
    let env: Record<string, string>;
    let a: ServerProcess;
    let b: ServerProcess;
    const clients: TestClient[] = [];
    const people: Person[] = [];
    const lobbies: Array<{ disconnect(): void }> = [];
    const connect = async (server: ServerProcess, token?: string) => {
      const client = await connectTestClient(server.url, { token });
      clients.push(client);
      return client;
    };
    const roomOn = async (server: ServerProcess) =>
      expectOk(await (await connect(server)).request(ClientEvent.RoomCreate, {})).roomId;

    beforeAll(async () => {
      database = await freshPostgresDatabase(databaseUrl!);
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: redisUrl!,
        // Other test files may run processes on the same Redis at the same time.
        REDIS_KEY_PREFIX: `livechat-test-${randomUUID().slice(0, 8)}`,
        MEMBER_GRACE_SECONDS: String(GRACE_SECONDS),
        RATE_LIMITS: 'off',
      };
      [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    });
    afterAll(async () => {
      for (const client of clients) client.close();
      for (const one of people) one.socket.disconnect();
      for (const lobby of lobbies) lobby.disconnect();
      for (const server of [a, b]) server?.child.kill('SIGKILL');
      await Promise.all([a?.exited, b?.exited]);
      await database?.drop();
    });

    it('a message sent through A reaches a member on B, and the other way round', async () => {
      const roomId = await roomOn(a);
      const alice = await connect(a);
      const bob = await connect(b);
      await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      const joined = expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
      expect(joined.members.map((m) => m.nickname)).toEqual(['Alice', 'Bob']);

      const atBob = bob.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'from A');
      await alice.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'from A',
      });
      await atBob;
      const atAlice = alice.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'from B');
      await bob.request(ClientEvent.MessageSend, {
        roomId,
        clientId: randomUUID(),
        text: 'from B',
      });
      await atAlice;
    });

    it('an edit, a deletion, a reaction and a reply made through A reach B live, and a member away meanwhile catches up', async () => {
      const roomId = await roomOn(a);
      const alice = await connect(a);
      expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
      const bob = await connect(b);
      expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
      const carol = person(b.url, 'Carol');
      people.push(carol);
      await eventually(() => carol.socket.connected);
      expect((await carol.store.getState().joinRoom(roomId, 'Carol')).ok).toBe(true);
      const say = async (text: string, replyTo?: number) =>
        expectOk(
          await alice.request(ClientEvent.MessageSend, {
            roomId,
            clientId: randomUUID(),
            text,
            ...(replyTo === undefined ? {} : { replyTo }),
          }),
        ).message;
      const kept = await say('to be edited');
      const doomed = await say('to be deleted');
      await eventually(() => carol.store.getState().room!.messages.some((m) => m.id === doomed.id));

      // Carol's link drops before the changes and comes back (to B) after them.
      carol.socket.disconnect();
      const changedAtBob = (test: (message: Message) => boolean) =>
        bob.next<Message>(ServerEvent.MessageChanged, test);
      const edited = changedAtBob((m) => m.seq === kept.seq && m.text === 'edited on A');
      expectOk(
        await alice.request(ClientEvent.MessageEdit, {
          roomId,
          seq: kept.seq,
          text: 'edited on A',
        }),
      );
      expect((await edited).editedAt).toBeDefined();
      const reacted = changedAtBob((m) => m.seq === kept.seq && m.reactions !== undefined);
      expectOk(
        await alice.request(ClientEvent.ReactionSet, {
          roomId,
          seq: kept.seq,
          emoji: '👍',
          on: true,
        }),
      );
      expect((await reacted).reactions).toEqual([{ emoji: '👍', nicknames: ['Alice'] }]);
      const replied = bob.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'a reply');
      await say('a reply', kept.seq);
      expect((await replied).replyTo).toEqual({
        seq: kept.seq,
        author: 'Alice',
        excerpt: 'edited on A',
      });
      const deleted = changedAtBob((m) => m.seq === doomed.seq && m.deletedAt !== undefined);
      expectOk(await alice.request(ClientEvent.MessageDelete, { roomId, seq: doomed.seq }));
      expect((await deleted).text).toBe('');
      // Enough said since that the changed messages are not on the page a rejoin gets:
      // only message:changes brings their new state.
      for (let n = 0; n < JOIN_HISTORY_LIMIT; n++) await say(`later ${n}`);

      carol.socket.connect();
      const held = (seq: number) =>
        carol.store.getState().room?.messages.find((m) => m.seq === seq);
      await eventually(
        () =>
          held(kept.seq)?.text === 'edited on A' &&
          held(kept.seq)?.reactions !== undefined &&
          held(doomed.seq)?.deletedAt !== undefined,
        10_000,
      );
      expect(carol.requested).toContain(ClientEvent.MessageChanges);
      expect(held(kept.seq)).toMatchObject({
        editedAt: expect.any(String),
        reactions: [{ emoji: '👍', nicknames: ['Alice'] }],
      });
      expect(held(doomed.seq)).toMatchObject({ text: '', deletedAt: expect.any(String) });
      const reply = carol.store.getState().room!.messages.find((m) => m.text === 'a reply');
      expect(reply?.replyTo).toEqual({ seq: kept.seq, author: 'Alice', excerpt: 'edited on A' });
    });

    it('a picture uploaded through A is shown through B, and goes with its message', async () => {
      const roomId = await roomOn(a);
      const alice = await connect(a);
      const bob = await connect(b);
      await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' });
      const bytes = await solid(640, 480, '#36c').png().toBuffer();
      const picture = expectOk((await postPicture(a.url, alice.token, roomId, bytes)).body).upload;

      const atBob = bob.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'a picture');
      const sent = expectOk(
        await alice.request(ClientEvent.MessageSend, {
          roomId,
          clientId: randomUUID(),
          text: 'a picture',
          attachments: [picture.id],
        }),
      ).message;
      expect((await atBob).attachments).toEqual([picture]);
      const onB = await getPicture(b.url, bob.token, imageUrl(picture.id));
      expect(onB.status).toBe(200);
      const shown = await sharp(Buffer.from(await onB.arrayBuffer())).metadata();
      expect(shown).toMatchObject({ format: 'png', width: 640, height: 480 });

      expectOk(await alice.request(ClientEvent.MessageDelete, { roomId, seq: sent.seq }));
      expect((await getPicture(b.url, bob.token, imageUrl(picture.id))).status).toBe(404);
    });

    it('nickname uniqueness and the member list are room-wide', async () => {
      const roomId = await roomOn(a);
      const alice = await connect(a);
      await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      const update = alice.next<{ members: Member[] }>(ServerEvent.MembersUpdate);
      const carol = await connect(b);
      await carol.request(ClientEvent.RoomJoin, { roomId, nickname: 'Carol' });
      expect((await update).members.map((m) => m.nickname)).toEqual(['Alice', 'Carol']);
      const impostor = await connect(b);
      const taken = await impostor.request(ClientEvent.RoomJoin, { roomId, nickname: 'ALICE' });
      expect(taken).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    });

    it('sequence numbers stay gap-free with senders on both processes', async () => {
      const roomId = await roomOn(a);
      const onA = await connect(a);
      const onB = await connect(b);
      await onA.request(ClientEvent.RoomJoin, { roomId, nickname: 'A' });
      await onB.request(ClientEvent.RoomJoin, { roomId, nickname: 'B' });
      await Promise.all(
        [onA, onB].flatMap((client) =>
          Array.from({ length: 40 }, (_, n) =>
            client.request(ClientEvent.MessageSend, {
              roomId,
              clientId: randomUUID(),
              text: `${n}`,
            }),
          ),
        ),
      );
      const page = expectOk(await onA.request(ClientEvent.MessageHistory, { roomId, limit: 100 }));
      expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 82 }, (_, i) => i + 1));
    });

    it('a member with tabs on both processes leaves only when both are gone', async () => {
      const roomId = await roomOn(a);
      const bob = await connect(b);
      await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' });
      const tabOnA = await connect(a);
      await tabOnA.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      const tabOnB = await connect(b, tabOnA.token);
      await tabOnB.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });

      tabOnA.close();
      await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 * 2));
      const stillThere = expectOk(await bob.request(ClientEvent.MessageHistory, { roomId }));
      expect(stillThere.messages.map((m) => m.text)).not.toContain('Alice left');

      const left = bob.next<Message>(ServerEvent.MessageNew, (m) => m.text === 'Alice left');
      tabOnB.close();
      await left;
    });

    it('room:leave on A takes the tab on B out too, and the last leave deletes the room', async () => {
      const roomId = await roomOn(a);
      const tabOnA = await connect(a);
      await tabOnA.request(ClientEvent.RoomJoin, { roomId, nickname: 'Solo' });
      const tabOnB = await connect(b, tabOnA.token);
      await tabOnB.request(ClientEvent.RoomJoin, { roomId, nickname: 'Solo' });
      const told = tabOnB.next<{ roomId: string }>(ServerEvent.RoomLeft);
      await tabOnA.request(ClientEvent.RoomLeave, { roomId });
      expect(await told).toEqual({ roomId });
      const late = await connect(b);
      const gone = await late.request(ClientEvent.RoomJoin, { roomId, nickname: 'Late' });
      expect(gone).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    });

    it('a message reaches the other process even when the one that acknowledged it dies at once', async () => {
      // This process reaches Redis over a link that holds its writes back, so handing a
      // message to the other process takes far longer than acknowledging it would.
      const link = await slowLink(redisUrl!, 300);
      const slow = await startServerProcess({ ...env, REDIS_URL: link.url });
      try {
        const roomId = await roomOn(b);
        const bob = await connect(b);
        expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
        const alice = await connect(slow);
        expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
        const sent = await alice.request(ClientEvent.MessageSend, {
          roomId,
          clientId: randomUUID(),
          text: 'last words',
        });
        slow.child.kill('SIGKILL');
        expectOk(sent);
        await slow.exited;
        // Nothing else is said in the room, so nothing makes Bob's client look for a hole.
        await eventually(() =>
          bob.received<Message>(ServerEvent.MessageNew).some((m) => m.text === 'last words'),
        );
      } finally {
        slow.child.kill('SIGKILL');
        await link.close();
      }
    }, 30_000);

    it('after kill -9 of one process its clients carry on through the other, losing nothing', async () => {
      const alice = person(a.url, 'Alice');
      const bob = person(b.url, 'Bob');
      people.push(alice, bob);
      await eventually(() => alice.socket.connected && bob.socket.connected);
      const created = await alice.store.getState().createRoom();
      const roomId = created.ok ? created.value : '';
      expect((await alice.store.getState().joinRoom(roomId, 'Alice')).ok).toBe(true);
      expect((await bob.store.getState().joinRoom(roomId, 'Bob')).ok).toBe(true);
      await alice.store.getState().sendMessage('before');

      // A dies, perhaps before passing 'before' on to B; Alice's client is pointed at B, as a
      // load balancer would.
      a.child.kill('SIGKILL');
      await a.exited;
      try {
        // Manager.uri is what reconnection dials; Socket.IO keeps it private to the class.
        (alice.socket.io as unknown as { uri: string }).uri = b.url;
        for (let n = 0; n < 5; n++) {
          void alice.store.getState().sendMessage(`alice ${n}`);
          await bob.store.getState().sendMessage(`bob ${n}`);
        }
        await eventually(
          () => alice.socket.connected && alice.store.getState().pending.length === 0,
          15_000,
        );
        const log = (one: Person) =>
          one.store.getState().room?.messages.map((m) => `${m.seq} ${m.text}`) ?? [];
        // Either way each holds every message once, in one order, without gaps.
        await eventually(() => JSON.stringify(log(alice)) === JSON.stringify(log(bob)), 10_000)
          // The assertion below shows the difference.
          .catch(() => undefined);
        expect(log(bob)).toEqual(log(alice));

        const texts = alice.store.getState().room!.messages.map((m) => m.text);
        for (const text of [
          'before',
          ...[0, 1, 2, 3, 4].flatMap((n) => [`alice ${n}`, `bob ${n}`]),
        ]) {
          expect(texts.filter((t) => t === text)).toHaveLength(1);
        }
        const seqs = alice.store.getState().room!.messages.map((m) => m.seq);
        expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      } finally {
        a = await startServerProcess(env); // the tests after this one need two processes
      }
    });

    it('the lobby on B lists a public room that fills on A; both count the same people', async () => {
      const onB = connectLobby(b.url);
      const onA = connectLobby(a.url);
      lobbies.push(onB.socket, onA.socket);
      await eventually(() => onB.stats.length > 0 && onA.stats.length > 0);
      const alice = await connect(a);
      const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, { public: true }));
      expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
      const bob = await connect(b);
      expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
      const listed = (view: ReturnType<typeof connectLobby>) =>
        view.rooms?.some((room) => room.roomId === roomId && room.memberCount === 2) ?? false;
      await eventually(() => listed(onB) && listed(onA), 10_000);
      // Both count the shared store's members: the two processes hold different numbers of
      // clients here, yet report the same people.
      const [seenA, seenB] = [onA.stats.length, onB.stats.length];
      await eventually(() => onA.stats.length > seenA && onB.stats.length > seenB, 10_000);
      expect(onA.stats.at(-1)!.peopleInRooms).toBeGreaterThanOrEqual(2);
      expect(onB.stats.at(-1)!.peopleInRooms).toBe(onA.stats.at(-1)!.peopleInRooms);
    }, 30_000);

    it('when a process dies for good, the survivor ends the grace periods it held', async () => {
      const roomId = await roomOn(b);
      const bob = await connect(b);
      await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' });
      const alice = await connect(a);
      await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      a.child.kill('SIGKILL');
      await a.exited;
      // Alice never comes back. B notices A is gone (the adapter's heartbeat), finds Alice in
      // no room on any process, and runs her grace period itself.
      await eventually(
        () => bob.received<Message>(ServerEvent.MessageNew).some((m) => m.text === 'Alice left'),
        40_000,
      );
      const late = await connect(b);
      const taken = await late.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' });
      expect(taken).toMatchObject({ ok: true });
    }, 60_000);
  },
);
