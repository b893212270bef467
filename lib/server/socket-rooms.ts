/**
 * Names of Socket.IO rooms. Each chat room has one; each session has one so that all of a
 * session's tabs (on any server process) can be reached together.
 */

/** The Socket.IO room of a chat room. */
export function chatRoom(roomId: string): string {
  return `room:${roomId}`;
}

/** The Socket.IO room holding every socket of one session. */
export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The chat room ID behind a Socket.IO room name, if it is one. */
export function roomIdOf(socketRoom: string): string | undefined {
  return socketRoom.startsWith('room:') ? socketRoom.slice('room:'.length) : undefined;
}
