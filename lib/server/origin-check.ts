/**
 * Cross-site WebSocket hijacking defence: a handshake that carries an `Origin` header is
 * accepted only from the page's own origin (the origin's host equals the request's `Host`) or
 * from an origin listed in `ALLOWED_ORIGINS`. Browsers always send `Origin` on WebSocket and
 * cross-origin requests; non-browser clients usually send none and are allowed.
 *
 * @example isAllowedOrigin('https://chat.example', 'chat.example', []) // true
 */
export function isAllowedOrigin(
  origin: string | undefined,
  host: string | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // includes the opaque origin "null"
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  // Compare the serialised origin, so look-alikes such as "https://chat.example.evil" differ.
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
  return allowedOrigins.includes(parsed.origin);
}
