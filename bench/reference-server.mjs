/**
 * The reference: a minimal room broadcaster on plain `ws`, the practical upper bound for a
 * Node.js chat server on this machine. Same room semantics as livechat — create a room, join
 * it under a nickname unique in the room, send a message that every member (sender included)
 * receives, with an acknowledgement to the sender — and nothing else: no persistence, no
 * validation beyond JSON.parse, no sessions. Each broadcast is serialised once and the same
 * bytes are sent to every member. It keeps the newest 50 messages of each room in memory so
 * that a join can return a first page (scenario 5).
 *
 * Protocol (JSON text frames; `id` is echoed in the acknowledgement):
 *   {"t":"create","id":1}                          → {"t":"ack","id":1,"ok":true,"roomId":"r1"}
 *   {"t":"join","id":2,"room":"r1","nick":"ann"}   → {"t":"ack","id":2,"ok":true,"messages":[…],"hasMore":…}
 *   {"t":"send","id":3,"room":"r1","text":"hi"}    → to the room: {"t":"msg","room":"r1","from":"ann","seq":1,"text":"hi"}
 *                                                    to the sender: {"t":"ack","id":3,"ok":true,"seq":1}
 *   {"t":"history","id":4,"room":"r1"}             → {"t":"ack","id":4,"ok":true,"messages":[…],"hasMore":…}
 *   {"t":"fill","id":5,"room":"r1","count":100000,"text":"…"}  (bench set-up: store messages)
 *
 * Environment: PORT (default 3001), HOST (default 127.0.0.1).
 */
import { WebSocketServer } from 'ws';

const PAGE = 50;
const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST ?? '127.0.0.1';

/** @type {Map<string, {members: Map<import('ws').WebSocket, string>, nicknames: Set<string>, seq: number, recent: object[]}>} */
const rooms = new Map();
let roomCounter = 0;

const wss = new WebSocketServer({
  host,
  port,
  perMessageDeflate: false,
  clientTracking: false,
  maxPayload: 64 * 1024,
});

wss.on('connection', (ws) => {
  /** Rooms this socket joined: roomId → nickname. */
  const joined = new Map();
  const ack = (id, fields) => ws.send(`{"t":"ack","id":${id},"ok":true${fields}}`);
  const refuse = (id, error) =>
    ws.send(`{"t":"ack","id":${id},"ok":false,"error":${JSON.stringify(error)}}`);

  ws.on('message', (data) => {
    let request;
    try {
      request = JSON.parse(data);
    } catch {
      return;
    }
    const { id } = request;
    switch (request.t) {
      case 'send': {
        const room = rooms.get(request.room);
        const from = joined.get(request.room);
        if (!room || from === undefined) return refuse(id, 'NOT_IN_ROOM');
        const seq = ++room.seq;
        const message = { t: 'msg', room: request.room, from, seq, text: request.text };
        remember(room, message);
        // Serialise once; every member gets the same bytes.
        const bytes = Buffer.from(JSON.stringify(message));
        for (const member of room.members.keys()) member.send(bytes, { binary: false });
        return ack(id, `,"seq":${seq}`);
      }
      case 'join': {
        const room = rooms.get(request.room);
        if (!room) return refuse(id, 'ROOM_NOT_FOUND');
        if (!joined.has(request.room)) {
          const nickname = String(request.nick);
          if (room.nicknames.has(nickname)) return refuse(id, 'NICKNAME_TAKEN');
          room.nicknames.add(nickname);
          room.members.set(ws, nickname);
          joined.set(request.room, nickname);
        }
        return ack(id, page(room));
      }
      case 'create': {
        const roomId = `r${++roomCounter}`;
        rooms.set(roomId, { members: new Map(), nicknames: new Set(), seq: 0, recent: [] });
        return ack(id, `,"roomId":"${roomId}"`);
      }
      case 'history': {
        const room = rooms.get(request.room);
        if (!room || !joined.has(request.room)) return refuse(id, 'NOT_IN_ROOM');
        return ack(id, page(room));
      }
      case 'fill': {
        const room = rooms.get(request.room);
        if (!room) return refuse(id, 'ROOM_NOT_FOUND');
        for (let i = 0; i < request.count; i++) {
          const seq = ++room.seq;
          remember(room, { t: 'msg', room: request.room, from: 'filler', seq, text: request.text });
        }
        return ack(id, '');
      }
      default:
        return refuse(id, 'UNKNOWN_REQUEST');
    }
  });

  ws.on('close', () => {
    for (const roomId of joined.keys()) {
      const room = rooms.get(roomId);
      if (!room) continue;
      room.nicknames.delete(room.members.get(ws));
      room.members.delete(ws);
    }
  });
});

function remember(room, message) {
  room.recent.push(message);
  if (room.recent.length > PAGE * 2) room.recent.splice(0, room.recent.length - PAGE);
}

function page(room) {
  const messages = room.recent.slice(-PAGE);
  return `,"messages":${JSON.stringify(messages)},"hasMore":${room.seq > messages.length}`;
}

wss.on('listening', () => {
  process.stdout.write(`reference server listening on ws://${host}:${port}\n`);
});

process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
