import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's peer, or — behind one trusted reverse proxy — the last
 * address in `X-Forwarded-For`, the one that proxy appended. Earlier entries come from the
 * client itself and could be anything, so they are never used (rate limits key on this).
 */
export function clientAddress(
  request: Pick<IncomingMessage, 'headers' | 'socket'>,
  trustProxy: boolean,
): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const last = forwarded.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
