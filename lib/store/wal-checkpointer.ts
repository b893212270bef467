import { Worker } from 'node:worker_threads';

/** How often the background thread copies the WAL back into the database file. */
export const CHECKPOINT_INTERVAL_MS = 500;

/** WAL length, in frames (pages), past which the writer pauses once so that the WAL restarts. */
export const WAL_RESTART_FRAMES = 16_384;

/** The longest the writer waits for that catch-up before it carries on regardless. */
const CATCH_UP_LIMIT_MS = 250;

/** The worker thread's nice value: the lowest priority, so copying yields to the event loop. */
const CHECKPOINT_THREAD_NICE = 19;

/**
 * The worker's code, plain CommonJS so that it runs the same from source (tests) and from the
 * build. It opens its own connection and runs PASSIVE checkpoints, which never block the
 * main connection's writers or readers, at the lowest scheduling priority, and reports how
 * far each one got: `log` frames in the WAL, `checkpointed` of them copied.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// A low priority for this thread only (Linux nice values are per thread): on a busy core the
// copying must yield to the event loop instead of taking turns with it.
try { require('node:os').setPriority(workerData.nice); } catch {}
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = (kind) => {
  const [{ log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ kind, log, checkpointed });
};
const timer = setInterval(() => checkpoint('checkpointed'), workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'catch-up') return checkpoint('caught-up');
  clearInterval(timer);
  checkpoint('closed');
  db.close();
  parentPort.close();
});
`;

interface Progress {
  kind: 'checkpointed' | 'caught-up' | 'closed';
  log: number;
  checkpointed: number;
}

export interface WalCheckpointerOptions {
  /** Called once if the worker stops unexpectedly. */
  fallback: (error: unknown) => void;
  /** Pause and resume the main connection's own writes, for a catch-up (see below). */
  pauseWrites: () => void;
  resumeWrites: () => void;
  intervalMs?: number;
  restartFrames?: number;
  /** How long a catch-up may pause the writes (default `CATCH_UP_LIMIT_MS`). */
  catchUpLimitMs?: number;
  /** The worker thread's nice value (default `CHECKPOINT_THREAD_NICE`). */
  nice?: number;
}

/** The settings a store may pass on (the rest are the store's own business). */
export type CheckpointSettings = Pick<
  WalCheckpointerOptions,
  'intervalMs' | 'restartFrames' | 'catchUpLimitMs' | 'nice'
>;

/**
 * Runs SQLite's WAL checkpoints on a worker thread. A checkpoint copies pages into the
 * database file and fsyncs both files; inline, in whichever commit crosses the WAL's size
 * limit, it stalls the event loop for tens of milliseconds. The main connection turns its
 * automatic checkpoints off while this runs, and back on if the worker ever fails.
 *
 * SQLite starts the WAL over only when a write begins with every frame already copied. Under
 * a steady stream of commits that never happens — each checkpoint leaves the frames written
 * while it ran — and the WAL grows without end. So once it is longer than `restartFrames`,
 * the main connection pauses its message writes (the event loop goes on; acknowledgements
 * wait) while the worker copies the rest, and the next write restarts the WAL.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly restartFrames: number;
  private stopped = false;
  private catchUpTimer: NodeJS.Timeout | undefined;

  /** Starts checkpointing `file`. */
  constructor(
    file: string,
    private readonly options: WalCheckpointerOptions,
  ) {
    this.restartFrames = options.restartFrames ?? WAL_RESTART_FRAMES;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file,
        driver: require.resolve('better-sqlite3'),
        intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
        nice: options.nice ?? CHECKPOINT_THREAD_NICE,
      },
    });
    // The thread must not keep a process alive that is done.
    this.worker.unref();
    const stop = (error: unknown) => {
      this.endCatchUp();
      if (this.stopped) return;
      this.stopped = true;
      options.fallback(error);
    };
    this.worker.on('message', (progress: Progress) => this.onProgress(progress));
    this.worker.on('error', stop);
    this.exited = new Promise<void>((resolve) =>
      this.worker.once('exit', (code) => {
        stop(new Error(`The WAL checkpoint worker exited with code ${code}`));
        resolve();
      }),
    );
  }

  private onProgress(progress: Progress): void {
    if (progress.kind === 'caught-up') return this.endCatchUp();
    if (progress.kind !== 'checkpointed' || this.stopped || this.catchUpTimer) return;
    // Even a checkpoint that copied all it saw is behind by now: commits went on meanwhile.
    if (progress.log < this.restartFrames) return;
    this.options.pauseWrites();
    this.catchUpTimer = setTimeout(
      () => this.endCatchUp(),
      this.options.catchUpLimitMs ?? CATCH_UP_LIMIT_MS,
    );
    this.worker.postMessage('catch-up');
  }

  private endCatchUp(): void {
    if (!this.catchUpTimer) return;
    clearTimeout(this.catchUpTimer);
    this.catchUpTimer = undefined;
    this.options.resumeWrites();
  }

  /** Runs a last checkpoint and stops the thread. */
  async close(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.endCatchUp();
      // Held again until it exits: otherwise a process with nothing else to do would end
      // before the last checkpoint, and this promise would never settle.
      this.worker.ref();
      this.worker.postMessage('close');
    }
    await this.exited;
  }
}
