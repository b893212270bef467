import type { IncomingMessage } from 'node:http';

/**
 * The client's address: the socket's peer, or — behind a trusted reverse proxy — the first
 * address in `X-Forwarded-For`.
 */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string') {
    const first = forwarded.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}
