import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink, utimes } from 'node:fs/promises';
import path from 'node:path';
import type { BlobStore } from './store';

/** Keys are SHA-256 digests in hex; anything else is never a file name here. */
const KEY = /^[0-9a-f]{64}$/;

/** How many keys the sweep asks about at once. */
const SWEEP_BATCH = 500;

/**
 * Blobs as files under one directory (`DATA_DIR/blobs`), one per key, spread over 256
 * sub-directories by the key's first two digits. A write goes to a temporary file that is
 * flushed to disk and then renamed into place, so a crash leaves either the whole file or
 * none under the key (and at most a temporary file, which the sweep removes).
 */
export class FileBlobStore implements BlobStore {
  private readonly temporary: string;

  constructor(private readonly dir: string) {
    this.temporary = path.join(dir, 'tmp');
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const file = this.fileOf(key);
    // Already there (the same picture again): its time is renewed instead, so a sweep that
    // found it unused a moment ago leaves it for the upload about to name it.
    const now = new Date();
    if (
      await utimes(file, now, now).then(
        () => true,
        () => false,
      )
    )
      return;
    await mkdir(this.temporary, { recursive: true });
    await mkdir(path.dirname(file), { recursive: true });
    const temporary = path.join(this.temporary, `${key}.${randomBytes(6).toString('hex')}`);
    const handle = await open(temporary, 'wx');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
    await syncDirectory(path.dirname(file));
  }

  async read(key: string) {
    if (!KEY.test(key)) return undefined;
    const file = this.fileOf(key);
    const found = await stat(file).catch(() => undefined);
    return found?.isFile() ? { size: found.size, stream: () => createReadStream(file) } : undefined;
  }

  async sweep(before: Date, referenced: (keys: string[]) => Promise<Set<string>>) {
    let removed = 0;
    for (const name of await entries(this.temporary)) {
      removed += await removeIfOlder(path.join(this.temporary, name), before);
    }
    for (const prefix of await entries(this.dir)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      const keys = (await entries(path.join(this.dir, prefix))).filter((name) => KEY.test(name));
      for (let start = 0; start < keys.length; start += SWEEP_BATCH) {
        const batch = keys.slice(start, start + SWEEP_BATCH);
        const used = await referenced(batch);
        for (const key of batch) {
          if (!used.has(key)) removed += await removeIfOlder(this.fileOf(key), before);
        }
      }
    }
    return removed;
  }

  private fileOf(key: string): string {
    if (!KEY.test(key)) throw new Error(`Not a blob key: ${key}`);
    return path.join(this.dir, key.slice(0, 2), key);
  }
}

async function entries(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

/** 1 when the file was last written before `before` and is now gone; else 0. */
async function removeIfOlder(file: string, before: Date): Promise<number> {
  const found = await stat(file).catch(() => undefined);
  if (!found || found.mtime >= before) return 0;
  return unlink(file).then(
    () => 1,
    () => 0,
  );
}

/** Makes a rename inside `dir` durable: the directory's entry is on disk too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
