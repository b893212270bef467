import { uploadUrl, type UploadResponse } from '../../lib/protocol/uploads';
import { SESSION_COOKIE } from '../../lib/server/sessions';

/** The `Cookie` header a browser holding this session token sends. */
export const sessionCookie = (token: string) => `${SESSION_COOKIE}=${token}`;

/** Posts a picture to a room as the session `token` (none: as nobody), like the page does. */
export async function postPicture(
  baseUrl: string,
  token: string | undefined,
  roomId: string,
  bytes: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: UploadResponse; headers: Headers }> {
  const response = await fetch(`${baseUrl}${uploadUrl(roomId)}`, {
    method: 'POST',
    headers: { ...(token && { cookie: sessionCookie(token) }), ...headers },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json()) as UploadResponse;
  return { status: response.status, body, headers: response.headers };
}

/** GETs a picture's address as the session `token` (none: as nobody). */
export function getPicture(baseUrl: string, token: string | undefined, path: string) {
  return fetch(`${baseUrl}${path}`, { headers: token ? { cookie: sessionCookie(token) } : {} });
}
