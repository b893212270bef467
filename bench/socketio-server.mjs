/**
 * Socket.IO alone: the same room broadcaster as reference-server.mjs, written on Socket.IO 4.8
 * as its documentation shows, and speaking livechat's events with livechat's payload shapes —
 * so the generator's livechat client drives it unchanged. No validation, persistence,
 * sessions, rate limits, member lists or announcements. It is what the framework costs by
 * itself: livechat ÷ this is the price of livechat's own work (validation, storage,
 * acknowledgement after commit), this ÷ the plain `ws` reference is the price of Socket.IO.
 *
 *   room:create {}                   → ack {ok, roomId}
 *   room:join {roomId, nickname}     → ack {ok, roomId, nickname, messages, hasMore}
 *   message:send {roomId, clientId, text}
 *                                    → to the room: message:new {id, roomId, seq, kind, author,
 *                                      text, createdAt, clientId}; ack {ok, message}
 *   message:history {roomId}         → ack {ok, messages, hasMore}
 *   bench:fill {roomId, count, text} (bench set-up: store messages)
 *
 * Environment: PORT (default 3002), HOST (default 127.0.0.1).
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const PAGE = 50;
const port = Number(process.env.PORT ?? 3002);
const host = process.env.HOST ?? '127.0.0.1';

/** @type {Map<string, {nicknames: Set<string>, seq: number, recent: object[]}>} */
const rooms = new Map();
let roomCounter = 0;

const httpServer = createServer();
const io = new Server(httpServer, {
  serveClient: false,
  perMessageDeflate: false,
  maxHttpBufferSize: 64 * 1024,
});

io.on('connection', (socket) => {
  /** Rooms this socket joined: roomId → nickname. */
  const joined = new Map();

  socket.on('room:create', (_payload, ack) => {
    const roomId = `r${++roomCounter}`;
    rooms.set(roomId, { nicknames: new Set(), seq: 0, recent: [] });
    ack({ ok: true, roomId });
  });

  socket.on('room:join', ({ roomId, nickname }, ack) => {
    const room = rooms.get(roomId);
    if (!room) return ack(refusal('ROOM_NOT_FOUND'));
    if (!joined.has(roomId)) {
      if (room.nicknames.has(nickname)) return ack(refusal('NICKNAME_TAKEN'));
      room.nicknames.add(nickname);
      joined.set(roomId, nickname);
      socket.join(roomId);
    }
    ack({ ok: true, roomId, nickname: joined.get(roomId), ...page(room) });
  });

  socket.on('message:send', ({ roomId, clientId, text }, ack) => {
    const room = rooms.get(roomId);
    const author = joined.get(roomId);
    if (!room || author === undefined) return ack(refusal('NOT_IN_ROOM'));
    const message = {
      id: randomUUID(),
      roomId,
      seq: ++room.seq,
      kind: 'user',
      author,
      text,
      createdAt: new Date().toISOString(),
      clientId,
    };
    remember(room, message);
    io.to(roomId).emit('message:new', message);
    ack({ ok: true, message });
  });

  socket.on('message:history', ({ roomId }, ack) => {
    const room = rooms.get(roomId);
    if (!room || !joined.has(roomId)) return ack(refusal('NOT_IN_ROOM'));
    ack({ ok: true, ...page(room) });
  });

  socket.on('bench:fill', ({ roomId, count, text }, ack) => {
    const room = rooms.get(roomId);
    if (!room) return ack(refusal('ROOM_NOT_FOUND'));
    const createdAt = new Date().toISOString();
    for (let i = 0; i < count; i++) {
      const seq = ++room.seq;
      remember(room, {
        id: randomUUID(),
        roomId,
        seq,
        kind: 'user',
        author: 'filler',
        text,
        createdAt,
      });
    }
    ack({ ok: true });
  });

  socket.on('disconnect', () => {
    for (const [roomId, nickname] of joined) rooms.get(roomId)?.nicknames.delete(nickname);
  });
});

function refusal(code) {
  return { ok: false, error: { code, message: code } };
}

function remember(room, message) {
  room.recent.push(message);
  if (room.recent.length > PAGE * 2) room.recent.splice(0, room.recent.length - PAGE);
}

function page(room) {
  const messages = room.recent.slice(-PAGE);
  return { messages, hasMore: room.seq > messages.length };
}

httpServer.listen(port, host, () => {
  process.stdout.write(`Socket.IO baseline listening on http://${host}:${port}\n`);
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
