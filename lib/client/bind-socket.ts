import { ErrorCode, type ErrorBody } from '../protocol/errors';
import { ServerEvent } from '../protocol/events';
import type { ChatStore } from './chat-store';
import type { ChatClientSocket } from './socket';

/**
 * The one place where socket events reach the store. Returns a function that removes every
 * listener it added. Works in Node too (tests drive the real client logic there).
 */
export function bindSocketToStore(socket: ChatClientSocket, store: ChatStore): () => void {
  const actions = () => store.getState();
  const onConnect = () => {
    actions().setConnection('connected');
    void actions().rejoin();
  };
  const browser = typeof window !== 'undefined';
  const onDisconnect = () =>
    actions().setConnection(!browser || navigator.onLine ? 'reconnecting' : 'offline');
  const onOffline = () => {
    actions().setConnection('offline');
    // The browser knows the network is gone: drop the link now rather than after a ping
    // timeout, so messages queue in the outbox; Socket.IO reconnects once it can.
    socket.io.engine?.close();
  };
  // The socket may have survived a short loss of network: then it is simply connected again.
  const onOnline = () => actions().setConnection(socket.connected ? 'connected' : 'reconnecting');

  // A refused handshake does not reconnect by itself: try again when the server says.
  let retry: ReturnType<typeof setTimeout> | undefined;
  const onConnectError = (error: Error & { data?: Partial<ErrorBody> }) => {
    if (error.data?.code !== ErrorCode.TooManyConnections) return;
    actions().setConnection('refused');
    clearTimeout(retry);
    retry = setTimeout(() => socket.connect(), error.data.retryAfterMs ?? 10_000);
  };

  socket.on('connect', onConnect);
  socket.on('disconnect', onDisconnect);
  socket.on('connect_error', onConnectError);
  socket.on(ServerEvent.MessageNew, actions().messageReceived);
  socket.on(ServerEvent.MessageChanged, actions().messageChanged);
  socket.on(ServerEvent.MembersUpdate, ({ roomId, members }) =>
    actions().membersUpdated(roomId, members),
  );
  socket.on(ServerEvent.SelfUpdate, ({ roomId, nickname }) =>
    actions().selfUpdated(roomId, nickname),
  );
  socket.on(ServerEvent.RoomLeft, ({ roomId, removed }) =>
    removed ? actions().removedFrom({ roomId, ...removed }) : actions().roomLeft(roomId),
  );
  socket.on(ServerEvent.RoomUpdated, ({ roomId, room }) => actions().roomUpdated(roomId, room));
  socket.on(ServerEvent.Announcement, actions().announced);
  socket.on(ServerEvent.TypingUpdate, ({ roomId, nickname, typing }) =>
    actions().typingUpdated(roomId, nickname, typing),
  );
  if (browser) {
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
  }

  return () => {
    socket.off('connect', onConnect);
    socket.off('disconnect', onDisconnect);
    socket.off('connect_error', onConnectError);
    clearTimeout(retry);
    socket.off(ServerEvent.MessageNew);
    socket.off(ServerEvent.MessageChanged);
    socket.off(ServerEvent.MembersUpdate);
    socket.off(ServerEvent.SelfUpdate);
    socket.off(ServerEvent.RoomLeft);
    socket.off(ServerEvent.RoomUpdated);
    socket.off(ServerEvent.Announcement);
    socket.off(ServerEvent.TypingUpdate);
    if (browser) {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
    }
  };
}
