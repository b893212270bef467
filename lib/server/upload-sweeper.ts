import type { Store } from '../store/store';
import { errorFields, type Logger } from './logger';

/** How long an uploaded picture waits for the message that sends it. */
export const UNSENT_UPLOAD_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * How old an unused blob must be before it goes: longer than any upload takes between
 * writing its bytes and naming them, so a picture being stored is never swept under it.
 */
export const BLOB_GRACE_MS = 10 * 60 * 1000;

/** How often the sweep runs. */
export const SWEEP_INTERVAL_MS = 15 * 60 * 1000;

/**
 * One sweep: uploads never sent go after a day; then the bytes no upload names any more —
 * of those, of deleted messages and of deleted rooms — go once older than the grace period.
 */
export async function sweepUploads(
  store: Store,
  now: Date,
): Promise<{ uploads: number; blobs: number }> {
  const uploads = await store.sweepUploads(
    new Date(now.getTime() - UNSENT_UPLOAD_KEEP_MS).toISOString(),
  );
  const blobs = await store.blobs.sweep(new Date(now.getTime() - BLOB_GRACE_MS), (keys) =>
    store.referencedBlobs(keys),
  );
  return { uploads, blobs };
}

/** Sweeps now and then every `SWEEP_INTERVAL_MS`; returns how to stop. */
export function startUploadSweeper(deps: {
  store: Store;
  logger: Logger;
  clock: () => Date;
}): () => void {
  let running: Promise<void> | undefined;
  const sweep = () => {
    running ??= sweepUploads(deps.store, deps.clock())
      .then((removed) => {
        if (removed.uploads + removed.blobs > 0) deps.logger.info(removed, 'swept pictures');
      })
      .catch((error: unknown) => deps.logger.warn(errorFields(error), 'sweeping pictures failed'))
      .finally(() => (running = undefined));
  };
  const first = setTimeout(sweep, 5_000);
  const timer = setInterval(sweep, SWEEP_INTERVAL_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
