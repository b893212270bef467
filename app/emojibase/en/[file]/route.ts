import { createHash } from 'node:crypto';
import emojis from 'emojibase-data/en/data.json';
import messages from 'emojibase-data/en/messages.json';

/**
 * The English Emojibase datasets the composer's emoji picker loads, served from our own origin
 * (bundled at build time from the pinned `emojibase-data` package) so that no page fetches a
 * CDN and the Content-Security-Policy can keep `connect-src 'self'`.
 */
const DATASETS = new Map(
  Object.entries({ 'data.json': emojis, 'messages.json': messages }).map(([file, dataset]) => {
    const body = JSON.stringify(dataset);
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    return [file, { body, etag }];
  }),
);

/**
 * The picker keeps the data in localStorage and, once a session, asks (HEAD) whether its ETag
 * changed; a new `emojibase-data` in a deploy changes it. Private: the server may add a fresh
 * session cookie to any response, which no shared cache may keep.
 */
export async function GET(request: Request, { params }: { params: Promise<{ file: string }> }) {
  const dataset = DATASETS.get((await params).file);
  if (!dataset) return new Response('Not found', { status: 404 });
  const headers = {
    'Cache-Control': 'private, max-age=3600',
    ETag: dataset.etag,
  };
  if (request.headers.get('if-none-match') === dataset.etag) {
    return new Response(null, { status: 304, headers });
  }
  return new Response(dataset.body, {
    headers: { ...headers, 'Content-Type': 'application/json; charset=utf-8' },
  });
}
