/**
 * Lean protocol clients on top of RawWebSocket, one per server kind, with the same surface:
 *   connect → createRoom / join / history (setup, parsed with JSON.parse)
 *           → sendMessage (hot path: one string template, one write)
 *           → setReaction / editMessage (scenario 6, ours only: changes to a sent message)
 * Incoming chat messages are never parsed as JSON: the client checks a few bytes to recognise
 * a broadcast, finds `"text":"B` and reads the numbers the sender put there. The hot path
 * therefore costs about the same for both servers, whatever their payload looks like.
 *
 * Message text format: `B<sender>.<scheduledUs>.<sentUs>` (integers, shared monotonic clock).
 */
import { randomUUID } from 'node:crypto';
import { openRawWebSocket } from './raw-ws.mjs';

const TEXT_MARK = Buffer.from('"text":"B');
const C_0 = 0x30;
const C_DOT = 0x2e;
const C_QUOTE = 0x22;

/** Called for every chat message received: (scheduledUs, sentUs, senderIndex). */
let deliveryHook = () => {};
export function onDelivery(hook) {
  deliveryHook = hook;
}

/** Called for every message broadcast received that carries no benchmark text. */
let unmarkedHook = () => {};
export function onUnmarkedDelivery(hook) {
  unmarkedHook = hook;
}

/** Called with the scheduled time of a timed request when its acknowledgement arrives. */
let ackHook = () => {};
export function onTimedAck(hook) {
  ackHook = hook;
}

/** Finds the benchmark text in a frame and reports it; false when the frame has none. */
function readDelivery(buf, start, end) {
  const at = buf.indexOf(TEXT_MARK, start);
  if (at === -1 || at >= end) return false;
  let i = at + TEXT_MARK.length;
  let sender = 0;
  let scheduled = 0;
  let sent = 0;
  let c;
  while (i < end && (c = buf[i++]) !== C_DOT) sender = sender * 10 + c - C_0;
  while (i < end && (c = buf[i++]) !== C_DOT) scheduled = scheduled * 10 + c - C_0;
  while (i < end && (c = buf[i++]) !== C_QUOTE) sent = sent * 10 + c - C_0;
  deliveryHook(scheduled, sent, sender);
  return true;
}

export function messageText(sender, scheduledUs, sentUs) {
  return `B${sender}.${Math.round(scheduledUs)}.${Math.round(sentUs)}`;
}

/** Shared bookkeeping for requests answered by acknowledgement. */
class BaseClient {
  constructor(ws) {
    this.ws = ws;
    this.nextId = 1;
    this.pending = new Map();
    this.ackOk = 0;
    this.ackErr = 0;
    this.lastError = undefined;
    this.closed = false;
    /** Request id → scheduled time (µs) of the requests whose acknowledgement is timed. */
    this.scheduledOf = new Map();
    ws.onText = (buf, start, end) => this.frame(buf, start, end);
    ws.onClose = (reason) => {
      this.closed = true;
      for (const { reject } of this.pending.values()) reject(new Error(`closed: ${reason}`));
      this.pending.clear();
    };
  }

  request(send, timeoutMs = 30_000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error('request timed out'));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      send(id);
    });
  }

  /** An acknowledgement with a numeric id; `okByte` is the byte after `"ok":`. */
  settle(id, okByte, buf, start, end, json) {
    const waiter = this.pending.get(id);
    if (waiter) {
      this.pending.delete(id);
      try {
        waiter.resolve(json());
      } catch (error) {
        waiter.reject(error);
      }
      return;
    }
    const scheduled = this.scheduledOf.get(id);
    if (scheduled !== undefined) {
      this.scheduledOf.delete(id);
      ackHook(scheduled);
    }
    if (okByte === 0x74 /* t */) {
      this.ackOk++;
    } else {
      this.ackErr++;
      this.lastError = buf.toString('utf8', start, Math.min(end, start + 300));
    }
  }

  close() {
    this.closed = true;
    this.ws.close();
  }
}

/**
 * livechat over Socket.IO v5 / Engine.IO v4, websocket transport only.
 * Packets: "0{open}", "2" ping → "3" pong, "40{..}" connected, "42[event,data]",
 * "42<id>[event,data]" request with ack, "43<id>[result]" acknowledgement.
 */
export class SioClient extends BaseClient {
  static async connect(host, port, { token, timeoutMs = 15_000 } = {}) {
    const ws = await openRawWebSocket(
      host,
      port,
      '/socket.io/?EIO=4&transport=websocket',
      timeoutMs,
    );
    const client = new SioClient(ws);
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Socket.IO connect timed out')), timeoutMs);
      client.onConnect = (error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      ws.sendText(token ? `40${JSON.stringify({ token })}` : '40');
    });
    return client;
  }

  constructor(ws) {
    super(ws);
    this.token = undefined;
    this.onConnect = () => {};
  }

  frame(buf, start, end) {
    const type = buf[start];
    if (type === 0x34 /* 4: message */) {
      const kind = buf[start + 1];
      if (kind === 0x32 /* 2: event */) {
        // 42["message:new",…  vs  42["members:update",…  vs  42["session",…
        // (message:changed alike)
        if (buf[start + 4] === 0x6d && buf[start + 6] === 0x73) {
          if (!readDelivery(buf, start, end)) unmarkedHook();
        } else if (buf[start + 4] === 0x73 && buf[start + 5] === 0x65) {
          this.token = JSON.parse(buf.toString('utf8', start + 2, end))[1].token;
        }
        return;
      }
      if (kind === 0x33 /* 3: ack */) {
        let i = start + 2;
        let id = 0;
        let c;
        while ((c = buf[i]) !== 0x5b /* [ */ && i < end) {
          id = id * 10 + c - C_0;
          i++;
        }
        // i at "[": the payload is [{"ok":…
        this.settle(id, buf[i + 7], buf, i, end, () => JSON.parse(buf.toString('utf8', i, end))[0]);
        return;
      }
      if (kind === 0x30 /* 0: connect */) {
        this.onConnect();
      } else if (kind === 0x34 /* 4: connect_error */) {
        this.onConnect(new Error(`connect_error: ${buf.toString('utf8', start + 2, end)}`));
      }
      return;
    }
    if (type === 0x32 /* 2: ping */ && end - start === 1) this.ws.sendText('3');
  }

  emit(id, event, payload) {
    this.ws.sendText(`42${id}${JSON.stringify([event, payload])}`);
  }

  async createRoom() {
    const result = await this.request((id) => this.emit(id, 'room:create', {}));
    if (!result.ok) throw new Error(`room:create failed: ${JSON.stringify(result.error)}`);
    return result.roomId;
  }

  join(roomId, nickname) {
    return this.request((id) => this.emit(id, 'room:join', { roomId, nickname }));
  }

  history(roomId, beforeSeq) {
    const payload = beforeSeq === undefined ? { roomId } : { roomId, beforeSeq };
    return this.request((id) => this.emit(id, 'message:history', payload));
  }

  /** Bench set-up on the Socket.IO baseline only (livechat has no such event). */
  fill(roomId, count, text) {
    return this.request((id) => this.emit(id, 'bench:fill', { roomId, count, text }), 120_000);
  }

  /**
   * The hot path: no promise, the acknowledgement is only counted (and timed from
   * `scheduledUs` when given).
   */
  sendMessage(roomId, text, scheduledUs) {
    this.emitCounted(
      `"message:send",{"roomId":"${roomId}","clientId":"${randomUUID()}","text":"${text}"}`,
      scheduledUs,
    );
  }

  /** Sends a message and resolves with its acknowledgement (set-up: the message to change). */
  sendAndWait(roomId, text) {
    return this.request((id) =>
      this.emit(id, 'message:send', { roomId, clientId: randomUUID(), text }),
    );
  }

  /** Puts this client's reaction on message `seq`, or takes it off; like sendMessage. */
  setReaction(roomId, seq, on, scheduledUs) {
    this.emitCounted(
      `"reaction:set",{"roomId":"${roomId}","seq":${seq},"emoji":"👍","on":${on}}`,
      scheduledUs,
    );
  }

  /** Replaces the text of this client's message `seq`; like sendMessage. */
  editMessage(roomId, seq, text, scheduledUs) {
    this.emitCounted(
      `"message:edit",{"roomId":"${roomId}","seq":${seq},"text":"${text}"}`,
      scheduledUs,
    );
  }

  /** Emits `42<id>[<body>]` without a promise; `body` is the event name and payload. */
  emitCounted(body, scheduledUs) {
    const id = this.nextId++;
    if (scheduledUs !== undefined) this.scheduledOf.set(id, scheduledUs);
    this.ws.sendText(`42${id}[${body}]`);
  }
}

/**
 * The reference server's JSON protocol (see reference-server.mjs):
 *   → {"t":"create","id":1}            ← {"t":"ack","id":1,"ok":true,"roomId":"r1"}
 *   → {"t":"join","id":2,"room":"r1","nick":"u1"}
 *                                      ← {"t":"ack","id":2,"ok":true,"messages":[…]}
 *   → {"t":"send","id":3,"room":"r1","text":"…"}
 *                                      ← {"t":"msg","room":"r1","from":"u1","seq":1,"text":"…"} (room)
 *                                      ← {"t":"ack","id":3,"ok":true,"seq":1}
 */
export class RefClient extends BaseClient {
  static async connect(host, port, { timeoutMs = 15_000 } = {}) {
    return new RefClient(await openRawWebSocket(host, port, '/', timeoutMs));
  }

  frame(buf, start, end) {
    // {"t":"m…  or  {"t":"a…
    const kind = buf[start + 6];
    if (kind === 0x6d /* m */) {
      readDelivery(buf, start, end);
    } else if (kind === 0x61 /* a */) {
      let i = start + 16; // after {"t":"ack","id":
      let id = 0;
      let c;
      while ((c = buf[i]) !== 0x2c /* , */ && i < end) {
        id = id * 10 + c - C_0;
        i++;
      }
      // i at ',"ok":' — the value starts 6 bytes on
      this.settle(id, buf[i + 6], buf, start, end, () =>
        JSON.parse(buf.toString('utf8', start, end)),
      );
    }
  }

  call(id, { t, ...fields }) {
    this.ws.sendText(JSON.stringify({ t, id, ...fields }));
  }

  async createRoom() {
    const result = await this.request((id) => this.call(id, { t: 'create' }));
    if (!result.ok) throw new Error(`create failed: ${result.error}`);
    return result.roomId;
  }

  join(roomId, nickname) {
    return this.request((id) => this.call(id, { t: 'join', room: roomId, nick: nickname }));
  }

  history(roomId, beforeSeq) {
    return this.request((id) => this.call(id, { t: 'history', room: roomId, before: beforeSeq }));
  }

  /** Bench-only: makes the reference hold `count` messages in a room (scenario 5). */
  fill(roomId, count, text) {
    return this.request((id) => this.call(id, { t: 'fill', room: roomId, count, text }), 120_000);
  }

  sendMessage(roomId, text) {
    const id = this.nextId++;
    this.ws.sendText(`{"t":"send","id":${id},"room":"${roomId}","text":"${text}"}`);
  }
}

export const clientClasses = { ours: SioClient, socketio: SioClient, reference: RefClient };
