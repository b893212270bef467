import { randomUUID } from 'node:crypto';
import { io, type Socket } from 'socket.io-client';
import { ErrorCode } from '../lib/protocol/errors';
import {
  ClientEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../lib/protocol/events';

type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const ACK_TIMEOUT_MS = 5_000;
/** Sessions taking turns, since each session may only post a few messages a second. */
const SEEDERS = 3;

/**
 * Posts many messages into a room quickly and in order, as members who join from outside the
 * browser ("Seeder 1", "Seeder 2", …), so that tests can have more history than one page
 * without typing it. Each seeder leaves when done.
 */
export async function seedMessages(
  baseURL: string,
  roomId: string,
  texts: readonly string[],
): Promise<void> {
  const sockets: ChatSocket[] = [];
  try {
    for (let index = 1; index <= SEEDERS; index++) {
      const socket = connectSeeder(baseURL);
      sockets.push(socket);
      const joined = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(ClientEvent.RoomJoin, { roomId, nickname: `Seeder ${index}` });
      if (!joined.ok) throw new Error(`seed join failed: ${joined.error.message}`);
    }
    for (const [index, text] of texts.entries()) {
      await send(sockets[index % SEEDERS]!, roomId, text);
    }
  } finally {
    for (const socket of sockets) {
      await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck(ClientEvent.RoomLeave, { roomId })
        .catch(() => undefined);
      socket.disconnect();
    }
  }
}

/**
 * Seats members who join from outside the browser, one session each, and keeps them in the
 * room until the returned function is called (then they disconnect; their grace runs out).
 */
export async function seatMembers(
  baseURL: string,
  roomId: string,
  nicknames: readonly string[],
): Promise<() => void> {
  const sockets = nicknames.map(() => connectSeeder(baseURL));
  const leave = () => sockets.forEach((socket) => socket.disconnect());
  try {
    for (const [index, nickname] of nicknames.entries()) {
      const joined = await sockets[index]!.timeout(ACK_TIMEOUT_MS).emitWithAck(
        ClientEvent.RoomJoin,
        { roomId, nickname },
      );
      if (!joined.ok) throw new Error(`seat join failed: ${joined.error.message}`);
    }
  } catch (error) {
    leave();
    throw error;
  }
  return leave;
}

function connectSeeder(baseURL: string): ChatSocket {
  return io(baseURL, {
    transports: ['websocket'],
    forceNew: true,
    extraHeaders: { origin: baseURL },
  });
}

/** Sends one message, waiting as long as the server asks whenever it is rate limited. */
async function send(socket: ChatSocket, roomId: string, text: string): Promise<void> {
  const clientId = randomUUID();
  for (;;) {
    const sent = await socket
      .timeout(ACK_TIMEOUT_MS)
      .emitWithAck(ClientEvent.MessageSend, { roomId, clientId, text });
    if (sent.ok) return;
    if (sent.error.code !== ErrorCode.RateLimited) {
      throw new Error(`seed send failed: ${sent.error.message}`);
    }
    await new Promise((resolve) => setTimeout(resolve, sent.error.retryAfterMs ?? 1_000));
  }
}
