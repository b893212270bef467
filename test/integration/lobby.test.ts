import { io as connectClient, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LobbyRoom, LobbyStats } from '../../lib/protocol/definitions';
import {
  ClientEvent,
  LOBBY_NAMESPACE,
  LobbyEvent,
  type LobbyServerToClientEvents,
} from '../../lib/protocol/events';
import {
  eventually,
  expectOk,
  roomWith,
  startHarness,
  type Harness,
} from '../helpers/chat-harness';

const STATS_MS = 150;

/** A landing page's view of the lobby: the latest list and statistics it was sent. */
async function watchLobby(harness: Harness) {
  const socket: Socket<LobbyServerToClientEvents> = connectClient(harness.url + LOBBY_NAMESPACE, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
  });
  const seen = { rooms: undefined as LobbyRoom[] | undefined, stats: [] as LobbyStats[] };
  socket.on(LobbyEvent.Rooms, ({ rooms }) => (seen.rooms = rooms));
  socket.on(LobbyEvent.Stats, (stats) => seen.stats.push(stats));
  await eventually(() => seen.rooms !== undefined && seen.stats.length > 0);
  return { socket, seen, close: () => socket.disconnect() };
}

describe('the lobby namespace', () => {
  let harness: Harness;
  beforeEach(async () => {
    harness = await startHarness({ lobbyStatsIntervalMs: STATS_MS });
  });
  afterEach(() => harness.close());

  it('lists public rooms with member counts on connect, and never a private one', async () => {
    const alice = await harness.connect();
    const publicRoom = expectOk(await alice.request(ClientEvent.RoomCreate, { public: true }));
    expectOk(
      await alice.request(ClientEvent.RoomJoin, { roomId: publicRoom.roomId, nickname: 'Alice' }),
    );
    const { roomId: privateRoom } = await roomWith(harness, 'Bob', 'Carol');
    const watcher = await watchLobby(harness);
    expect(watcher.seen.rooms).toEqual([{ roomId: publicRoom.roomId, memberCount: 1 }]);
    expect(JSON.stringify(watcher.seen)).not.toContain(privateRoom);
    watcher.close();
  });

  it('updates the list live as a public room opens, gains and loses members, and closes', async () => {
    const watcher = await watchLobby(harness);
    expect(watcher.seen.rooms).toEqual([]);
    const alice = await harness.connect();
    const { roomId } = expectOk(await alice.request(ClientEvent.RoomCreate, { public: true }));
    await eventually(() => watcher.seen.rooms?.[0]?.roomId === roomId);
    expectOk(await alice.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
    await eventually(() => watcher.seen.rooms?.[0]?.memberCount === 1);
    const bob = await harness.connect();
    expectOk(await bob.request(ClientEvent.RoomJoin, { roomId, nickname: 'Bob' }));
    await eventually(() => watcher.seen.rooms?.[0]?.memberCount === 2);
    expectOk(await bob.request(ClientEvent.RoomLeave, { roomId }));
    await eventually(() => watcher.seen.rooms?.[0]?.memberCount === 1);
    expectOk(await alice.request(ClientEvent.RoomLeave, { roomId }));
    await eventually(() => watcher.seen.rooms?.length === 0);
    watcher.close();
  });

  it('private rooms never appear, however they change', async () => {
    const watcher = await watchLobby(harness);
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    expectOk(await clients[1]!.request(ClientEvent.RoomLeave, { roomId }));
    const { roomId: listed } = expectOk(
      await clients[0]!.request(ClientEvent.RoomCreate, { public: true }),
    );
    // Once the public room shows, every update about the private one has been sent too.
    await eventually(() => watcher.seen.rooms?.some((room) => room.roomId === listed) ?? false);
    expect(watcher.seen.rooms).toEqual([{ roomId: listed, memberCount: 0 }]);
    watcher.close();
  });

  it('sends people in rooms and rooms open (private ones counted) every few seconds', async () => {
    // Someone on the start page, connected but in no room, is not counted.
    const browsing = await harness.connect();
    const watcher = await watchLobby(harness);
    expect(watcher.seen.stats[0]).toEqual({ peopleInRooms: 0, rooms: 0 });
    const { roomId, clients } = await roomWith(harness, 'Alice', 'Bob');
    const alice = clients[0]!;
    // A second tab of Alice's is the same person, and so is Alice in a second room.
    const secondTab = await harness.connect({ token: alice.token });
    expectOk(await secondTab.request(ClientEvent.RoomJoin, { roomId, nickname: 'Alice' }));
    const { roomId: other } = expectOk(await alice.request(ClientEvent.RoomCreate, {}));
    expectOk(await alice.request(ClientEvent.RoomJoin, { roomId: other, nickname: 'Alice' }));
    const seenBefore = watcher.seen.stats.length;
    await eventually(() => watcher.seen.stats.length >= seenBefore + 2);
    expect(watcher.seen.stats.at(-1)).toEqual({ peopleInRooms: 2, rooms: 2 });
    browsing.close();
    watcher.close();
  });

  it('runs the statistics timer only while someone watches', async () => {
    expect(harness.chat.lobby.watched).toBe(false);
    const first = await watchLobby(harness);
    const second = await watchLobby(harness);
    expect(harness.chat.lobby.watched).toBe(true);
    first.close();
    const counted = second.seen.stats.length;
    await eventually(() => second.seen.stats.length > counted);
    second.close();
    await eventually(() => !harness.chat.lobby.watched);
  });
});
