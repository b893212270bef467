import { Readable } from 'node:stream';
import type { BlobStore } from './store';

/** Blobs in this process's memory: for a store that keeps nothing on disk (`:memory:`). */
export class MemoryBlobStore implements BlobStore {
  private readonly blobs = new Map<string, { bytes: Buffer; storedAt: Date }>();

  async put(key: string, bytes: Buffer): Promise<void> {
    this.blobs.set(key, { bytes: this.blobs.get(key)?.bytes ?? bytes, storedAt: new Date() });
  }

  async read(key: string) {
    const found = this.blobs.get(key);
    return found && { size: found.bytes.length, stream: () => Readable.from([found.bytes]) };
  }

  async sweep(before: Date, referenced: (keys: string[]) => Promise<Set<string>>) {
    const old = [...this.blobs].filter(([, blob]) => blob.storedAt < before).map(([key]) => key);
    const used = await referenced(old);
    const unused = old.filter((key) => !used.has(key));
    for (const key of unused) this.blobs.delete(key);
    return unused.length;
  }
}
