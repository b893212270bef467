import { Worker } from 'node:worker_threads';

/** How often the background thread copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 500;

/**
 * The worker's code, plain CommonJS so that it runs the same from source (tests) and from the
 * build. It opens its own connection and runs PASSIVE checkpoints, which never block the
 * main connection's writers or readers, at the lowest scheduling priority.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// Lowest priority for this thread only (Linux nice values are per thread): on a busy core the
// copying must yield to the event loop instead of taking turns with it.
try { require('node:os').setPriority(19); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Runs SQLite's WAL checkpoints on a worker thread. A checkpoint copies pages into the
 * database file and fsyncs both files; inline, in whichever commit crosses the WAL's size
 * limit, it stalls the event loop for tens of milliseconds. The main connection turns its
 * automatic checkpoints off while this runs, and back on if the worker ever fails.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private stopped = false;

  /** Starts checkpointing `file`; `fallback` is called once if the worker stops unexpectedly. */
  constructor(file: string, fallback: (error: unknown) => void) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: require.resolve('better-sqlite3'),
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    });
    // The thread must not keep a process alive that is done.
    this.worker.unref();
    const stop = (error: unknown) => {
      if (this.stopped) return;
      this.stopped = true;
      fallback(error);
    };
    this.worker.on('error', stop);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        stop(new Error(`The WAL checkpoint worker exited with code ${code}`));
        resolve();
      }),
    );
  }

  /** Runs a last checkpoint and stops the thread. */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      // Held again until it exits: otherwise a process with nothing else to do would end
      // before the last checkpoint, and this promise would never settle.
      this.worker.ref();
      this.worker.postMessage('close');
    }
    await this.exited;
  }
}
