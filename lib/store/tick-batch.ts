interface Waiting<In, Out> {
  input: In;
  resolve: (output: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Collects the requests made during one turn of the event loop and runs them together, once
 * the turn's I/O callbacks are done (`setImmediate`). Under load many sockets are read in the
 * same turn, so their writes share one transaction and one commit; at low load a batch holds
 * one request and waits for nothing but the rest of the turn. Each request settles only after
 * the whole batch ran: with its own result, or with the batch's error for every request.
 */
export class TickBatch<In, Out> {
  private waiting: Array<Waiting<In, Out>> = [];
  private scheduled: NodeJS.Immediate | undefined;
  private held = false;

  /** `runAll` gets the inputs in the order they were added and returns one output for each. */
  constructor(private readonly runAll: (inputs: In[]) => Out[]) {}

  /** Queues a request for the end of this turn. */
  add(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      if (!this.held) this.scheduled ??= setImmediate(() => this.flush());
    });
  }

  /**
   * Keeps queued requests waiting until `release()`, instead of running them at the end of the
   * turn. An explicit `flush()` still runs them: holding only delays, it never reorders.
   */
  hold(): void {
    this.held = true;
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
  }

  /** Ends a hold; what queued meanwhile runs at the end of this turn. */
  release(): void {
    if (!this.held) return;
    this.held = false;
    if (this.waiting.length > 0) this.scheduled ??= setImmediate(() => this.flush());
  }

  /** Runs what is queued now; callers use it to keep their own writes in request order. */
  flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    let outputs: Out[];
    try {
      outputs = this.runAll(batch.map((request) => request.input));
    } catch (error) {
      for (const request of batch) request.reject(error);
      return;
    }
    batch.forEach((request, index) => request.resolve(outputs[index]!));
  }
}
