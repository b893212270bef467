/**
 * A minimal WebSocket client on a bare TCP socket, for the load generator: it writes frames
 * itself and hands complete text frames to a callback as (buffer, start, end) without copying
 * or decoding them. No extensions, no fragmentation (neither server sends fragmented frames),
 * no UTF-8 validation. Client frames carry the all-zero masking key, so the payload is sent
 * as is; servers unmask with it like with any other key.
 */
import net from 'node:net';

// Any 16 bytes, base64: the harness does not check Sec-WebSocket-Accept.
const KEY = 'bGl2ZWNoYXQtYmVuY2gtMQ==';
const HEADER_END = Buffer.from('\r\n\r\n');

/** Time (µs on the shared clock) at which the data chunk being parsed arrived. */
export let chunkArrivalUs = 0;
let clockSource = () => 0;

/** Sets the clock used to stamp incoming chunks (one reading per chunk, not per frame). */
export function setChunkClock(now) {
  clockSource = now;
}

export class RawWebSocket {
  /**
   * @param {net.Socket} socket an upgraded socket
   * @param {Buffer | null} rest bytes that followed the HTTP response
   */
  constructor(socket) {
    this.socket = socket;
    this.pending = null;
    this.closed = false;
    /** @type {(buf: Buffer, start: number, end: number) => void} */
    this.onText = () => {};
    /** @type {(reason: string) => void} */
    this.onClose = () => {};
    socket.on('close', () => this.closedBy('socket closed'));
    socket.on('error', (error) => this.closedBy(error.message));
  }

  /** Sends one text frame. */
  sendText(text) {
    if (this.closed) return false;
    const length = Buffer.byteLength(text);
    const header = length < 126 ? 6 : length < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(header + length);
    frame[0] = 0x81; // FIN + text
    if (length < 126) {
      frame[1] = 0x80 | length;
    } else if (length < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(length, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeUInt32BE(0, 2);
      frame.writeUInt32BE(length, 6);
    }
    frame.writeUInt32BE(0, header - 4); // masking key 0: payload unchanged
    frame.write(text, header, 'utf8');
    return this.socket.write(frame);
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.socket.destroy();
  }

  closedBy(reason) {
    if (this.closed) return;
    this.closed = true;
    this.onClose(reason);
  }

  receive(chunk) {
    chunkArrivalUs = clockSource();
    let buf = chunk;
    if (this.pending !== null) {
      buf = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const total = buf.length;
    let offset = 0;
    while (total - offset >= 2) {
      const second = buf[offset + 1];
      let length = second & 0x7f;
      let start = offset + 2;
      if (length === 126) {
        if (total - offset < 4) break;
        length = (buf[offset + 2] << 8) | buf[offset + 3];
        start = offset + 4;
      } else if (length === 127) {
        if (total - offset < 10) break;
        length = buf.readUInt32BE(offset + 2) * 2 ** 32 + buf.readUInt32BE(offset + 6);
        start = offset + 10;
      }
      if (second & 0x80) start += 4; // a masked server frame: not expected, skipped as opaque
      const end = start + length;
      if (end > total) break;
      const opcode = buf[offset] & 0x0f;
      if (opcode === 1) {
        this.onText(buf, start, end);
      } else if (opcode === 8) {
        this.close();
        this.onClose('close frame');
        return;
      } else if (opcode === 9) {
        this.sendControl(0x8a, buf.subarray(start, end));
      }
      offset = end;
    }
    // The read buffer is shared by every socket: keep a copy of an incomplete frame.
    if (offset < total) this.pending = Buffer.from(buf.subarray(offset));
  }

  sendControl(firstByte, payload) {
    const frame = Buffer.allocUnsafe(6 + payload.length);
    frame[0] = firstByte;
    frame[1] = 0x80 | payload.length;
    frame.writeUInt32BE(0, 2);
    payload.copy(frame, 6);
    this.socket.write(frame);
  }
}

/**
 * One read buffer for every socket of the process: bytes are parsed as soon as they are read
 * (`onread`), which spares a Buffer allocation and the stream machinery on each read.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * Opens a WebSocket to `ws://host:port<path>`.
 * @returns {Promise<RawWebSocket>}
 */
export function openRawWebSocket(host, port, path, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    let head = null;
    let ws = null;
    const onread = {
      buffer: READ_BUFFER,
      callback: (length, buffer) => {
        if (ws !== null) {
          ws.receive(buffer.subarray(0, length));
          return;
        }
        // Still in the HTTP handshake.
        const chunk = Buffer.from(buffer.subarray(0, length));
        head = head === null ? chunk : Buffer.concat([head, chunk]);
        const end = head.indexOf(HEADER_END);
        if (end === -1) return;
        clearTimeout(timer);
        socket.off('error', fail);
        const status = head.toString('latin1', 0, head.indexOf('\r\n'));
        if (!/^HTTP\/1\.1 101 /.test(status)) {
          socket.destroy();
          reject(new Error(`WebSocket upgrade refused: ${status}`));
          return;
        }
        ws = new RawWebSocket(socket);
        const rest = head.subarray(end + 4);
        resolve(ws);
        // Frames that came with the response: after the caller has set its handlers.
        if (rest.length > 0) queueMicrotask(() => queueMicrotask(() => ws.receive(rest)));
      },
    };
    const socket = net.connect({ host, port, noDelay: true, onread });
    const timer = setTimeout(() => fail(new Error('WebSocket handshake timed out')), timeoutMs);
    function fail(error) {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    }
    socket.on('error', fail);
    socket.on('connect', () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${KEY}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
      );
    });
  });
}
