import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse, serialize } from 'cookie';
import { SESSION_COOKIE, type Sessions } from './sessions';

const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

/** The session token a request's `Cookie` header carries, if any. */
export function readSessionToken(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  return parse(cookieHeader)[SESSION_COOKIE];
}

/**
 * Makes sure a page request carries a valid session: if its cookie is missing, unknown or
 * forged, issues a new session and sets the cookie on the response.
 */
export async function ensureSessionCookie(
  req: IncomingMessage,
  res: ServerResponse,
  sessions: Sessions,
  options: { trustProxy: boolean },
): Promise<void> {
  if (await sessions.resolve(readSessionToken(req.headers.cookie))) return;
  const { token } = await sessions.issue();
  res.appendHeader(
    'Set-Cookie',
    serialize(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: isHttps(req, options.trustProxy),
      path: '/',
      maxAge: ONE_YEAR_SECONDS,
    }),
  );
}

/** Whether the client reached us over HTTPS (directly, or through a trusted proxy). */
export function isHttps(req: IncomingMessage, trustProxy: boolean): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted) return true;
  return trustProxy && req.headers['x-forwarded-proto'] === 'https';
}
