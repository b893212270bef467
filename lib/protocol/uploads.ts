import type { ImageAttachment } from './definitions';
import type { Result } from './errors';

/**
 * Pictures travel over plain HTTP, not Socket.IO frames: a member uploads the file, then sends
 * a message that names the upload (`message:send` with `attachments`).
 *
 * - `POST /uploads?room=<roomId>` with the file's bytes as the body (any `Content-Type`; the
 *   type is told from the bytes), the session cookie, and the page's own `Origin`. Answers
 *   201 with `UploadResponse`, or 4xx with its failure (`FILE_TOO_LARGE`, `UNSUPPORTED_IMAGE`,
 *   `IMAGE_TOO_BIG`, `NOT_IN_ROOM`, `CROSS_SITE`, `RATE_LIMITED`).
 * - `GET /uploads/<id>` serves the stored picture, `GET /uploads/<id>/thumb` its WebP
 *   thumbnail, to members of the upload's room only (anyone else gets 404).
 */
export const UPLOADS_PATH = '/uploads';

/** What an upload ID looks like: 128 random bits, base64url. */
export const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** What `POST /uploads` answers: the stored picture, to attach by its `id`. */
export type UploadResponse = Result<{ upload: ImageAttachment }>;

/** Where to post a picture for a room. */
export function uploadUrl(roomId: string): string {
  return `${UPLOADS_PATH}?room=${encodeURIComponent(roomId)}`;
}

/** Where the stored picture is served. */
export function imageUrl(uploadId: string): string {
  return `${UPLOADS_PATH}/${uploadId}`;
}

/** Where its thumbnail is served. */
export function thumbnailUrl(uploadId: string): string {
  return `${UPLOADS_PATH}/${uploadId}/thumb`;
}
