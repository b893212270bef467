import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where the gauges read their values when Prometheus scrapes. */
export interface MetricSources {
  connectedSockets(): number;
  counts(): Promise<{ rooms: number; members: number }>;
}

/**
 * The server's Prometheus metrics (`GET /metrics`): chat counters and gauges, plus Node's
 * default process metrics (CPU, memory, event-loop lag, GC). Counting is a few additions per
 * message; nothing is computed on the message path that a scrape can compute instead.
 */
export class ChatMetrics {
  readonly registry = new Registry();

  readonly messagesReceived = new Counter({
    name: 'livechat_messages_received_total',
    help: 'Chat messages stored after a message:send (retries of a stored message excluded).',
    registers: [this.registry],
  });

  readonly messagesDelivered = new Counter({
    name: 'livechat_messages_delivered_total',
    help: 'Deliveries of message:new to sockets of this process for messages sent through it.',
    registers: [this.registry],
  });

  readonly ackLatency = new Histogram({
    name: 'livechat_ack_latency_seconds',
    help: 'Time from a request arriving to its acknowledgement being sent, by event.',
    labelNames: ['event'] as const,
    buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  private readonly ackTimers = new Map<string, Histogram.Internal<'event'>>();

  /**
   * The acknowledgement latency series of one event. prom-client builds a fresh object with
   * two closures on every `labels()` call, so each event's series is looked up once.
   */
  ackLatencyOf(event: string): Histogram.Internal<'event'> {
    let series = this.ackTimers.get(event);
    if (!series) {
      series = this.ackLatency.labels(event);
      this.ackTimers.set(event, series);
    }
    return series;
  }

  readonly rejected = new Counter({
    name: 'livechat_rejected_requests_total',
    help: 'Requests answered with an error, by event and error code.',
    labelNames: ['event', 'code'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'livechat_rate_limit_hits_total',
    help: 'Requests refused by flood control, by limited action.',
    labelNames: ['action'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricSources) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'livechat_connected_sockets',
      help: 'Sockets connected to this process.',
      registers: [this.registry],
      collect() {
        this.set(sources.connectedSockets());
      },
    });
    const counted = (name: 'rooms' | 'members', help: string) =>
      new Gauge({
        name: `livechat_${name}`,
        help,
        registers: [this.registry],
        async collect() {
          this.set((await sources.counts())[name]);
        },
      });
    counted('rooms', 'Open rooms (all processes share the store).');
    counted('members', 'Room members, including those within their grace period.');
  }
}
