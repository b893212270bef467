/**
 * Turns scenario results into Markdown: one table per scenario with ours, the reference and
 * the ratio ours ÷ reference, a targets table, and validity notes.
 */

const num = (value, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '–';
const ms = (value) =>
  Number.isFinite(value)
    ? value < 10
      ? num(value, 2)
      : value < 100
        ? num(value, 1)
        : num(value)
    : '–';
const pct = (value, digits = 1) => (Number.isFinite(value) ? `${num(value * 100, digits)} %` : '–');
const kib = (bytes) => (Number.isFinite(bytes) ? num(bytes / 1024, 1) : '–');
const mib = (bytes) => (Number.isFinite(bytes) ? num(bytes / 1024 / 1024, 1) : '–');

function ratio(ours, reference) {
  if (!Number.isFinite(ours) || !Number.isFinite(reference) || reference === 0) return '–';
  return `${num(ours / reference, 2)}×`;
}

/** A Markdown table from header + rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The server kinds in the order the tables show them. */
const KINDS = ['ours', 'socketio', 'reference'];
const KIND_NAMES = { ours: 'ours', socketio: 'Socket.IO alone', reference: 'reference' };

/**
 * Rows [label, get, format] over one scenario's results → comparison table: ours, Socket.IO
 * alone (when it ran) and the reference, each of the first two as a ratio to the reference.
 */
function comparison(results, rows) {
  const { ours, socketio, reference } = results;
  const cell = (result, get, format) => (result ? format(get(result)) : 'not run');
  const value = (result, get) => (result ? get(result) : NaN);
  return table(
    [
      'metric',
      'ours',
      ...(socketio ? ['Socket.IO alone'] : []),
      'reference',
      'ours ÷ ref',
      ...(socketio ? ['Socket.IO ÷ ref'] : []),
    ],
    rows.map(([label, get, format, noRatio]) => {
      const ref = value(reference, get);
      return [
        label,
        cell(ours, get, format),
        ...(socketio ? [cell(socketio, get, format)] : []),
        cell(reference, get, format),
        noRatio ? '' : ratio(value(ours, get), ref),
        ...(socketio ? [noRatio ? '' : ratio(value(socketio, get), ref)] : []),
      ];
    }),
  );
}

/** A share of the server core / generator core, as "server / generator". */
const perCore = (v) => (v ? `${num(v[0])} / ${num(v[1])}` : '–');

/** Other processes' CPU on the server core / generator core during the window. */
const neighbourRow = [
  'other processes on server / generator core (%)',
  (r) => r.foreignCpuPct,
  perCore,
  true,
];

/** CPU the hypervisor took from the server core / generator core during the window. */
const stealRow = [
  'hypervisor steal on server / generator core (%)',
  (r) => r.stealCpuPct,
  perCore,
  true,
];

/** Machine-wide events during the window that can add latency. */
const systemRow = [
  'machine: dropped packets / TCP timeouts / I/O stall (ms)',
  (r) => r.system,
  (v) => (v ? `${num(v.dropped)} / ${num(v.tcpTimeouts)} / ${num(v.ioStallMs)}` : '–'),
  true,
];

const validity = (r) => (r.valid ? 'valid' : `**INVALID**: ${r.invalidReason}`);

const loadRows = [
  ['offered deliveries/s', (r) => r.offeredPerS, (v) => num(v), true],
  ['delivered msgs/s', (r) => r.deliveredPerS, (v) => num(v)],
  ['delivery ratio', (r) => r.deliveryRatio, (v) => pct(v, 3), true],
  ['latency p50 (ms)', (r) => r.latency.p50, ms],
  ['latency p99 (ms)', (r) => r.latency.p99, ms],
  ['latency p99.9 (ms)', (r) => r.latency.p999, ms],
  ['latency max (ms)', (r) => r.latency.max, ms],
  [
    'latency from actual send p50 / p99 (ms)',
    (r) => r.service,
    (v) => (v ? `${ms(v.p50)} / ${ms(v.p99)}` : '–'),
    true,
  ],
  ['generator send lag p99 (ms)', (r) => r.sendLag.p99, ms, true],
  ['server CPU (% of a core)', (r) => r.serverCpuPct, (v) => num(v)],
  ['server CPU per delivery (µs)', (r) => r.cpuPerDeliveryUs, (v) => num(v, 2)],
  ['server RSS (MiB)', (r) => r.rssBytes, mib],
  ['server heap used (MiB)', (r) => r.heapUsedBytes, mib],
  ['event-loop delay p50 (ms)', (r) => r.loopDelay.p50, ms],
  ['event-loop delay p99 (ms)', (r) => r.loopDelay.p99, ms],
  ['event-loop delay max (ms)', (r) => r.loopDelay.max, ms],
  ['generator CPU (% of its core)', (r) => r.generatorCpuTotalPct, (v) => num(v), true],
  ['failed acks', (r) => r.ackErr, (v) => num(v), true],
  neighbourRow,
  stealRow,
  systemRow,
];

/** Scenario 6's kinds of request: [result name, column heading]. */
const CHANGE_KINDS = [
  ['send', '`message:send`'],
  ['react', '`reaction:set`'],
  ['edit', '`message:edit`'],
];

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Scenario 6: one column per kind of request, each cell its two windows (earlier → later),
 * then each change's ratio to the plain send, from the means of the two windows.
 */
function changesTable(changes) {
  const shared = (...labels) => labels.map((label) => loadRows.find(([name]) => name === label));
  const rows = [
    ...shared('offered deliveries/s', 'delivered msgs/s', 'delivery ratio'),
    ['acknowledgement p50 (ms)', (r) => r.ack.p50, ms],
    ['acknowledgement p99 (ms)', (r) => r.ack.p99, ms],
    // A reaction's broadcast carries no time: its deliveries are counted by arrival.
    ['delivery latency p50 (ms)', (r) => r.latency.p50, ms, true],
    ['delivery latency p99 (ms)', (r) => r.latency.p99, ms, true],
    ...shared('server CPU (% of a core)'),
    ['server CPU per request (µs)', (r) => r.cpuPerSendUs, (v) => num(v, 1)],
    ...shared(
      'server CPU per delivery (µs)',
      'event-loop delay p99 (ms)',
      'generator CPU (% of its core)',
      'failed acks',
    ),
    neighbourRow,
    stealRow,
    systemRow,
  ];
  const { send, react, edit } = changes;
  return table(
    ['metric', ...CHANGE_KINDS.map(([, heading]) => heading), 'reaction ÷ send', 'edit ÷ send'],
    rows.map(([label, get, format, noRatio]) => [
      label,
      ...CHANGE_KINDS.map(([name, heading]) =>
        changes[name]?.length
          ? changes[name]
              .map((r) =>
                name === 'react' && label.startsWith('delivery latency') ? '–' : format(get(r)),
              )
              .join(' → ')
          : `${heading} not run`,
      ),
      ...[react, edit].map((windows) =>
        noRatio || !windows?.length || !send?.length
          ? ''
          : ratio(mean(windows.map(get)), mean(send.map(get))),
      ),
    ]),
  );
}

function changesValidity(changes) {
  const notes = CHANGE_KINDS.flatMap(([name, heading]) =>
    (changes[name] ?? []).flatMap((r, index) => {
      const which = `${heading} (${index === 0 ? 'earlier' : 'later'})`;
      const line = [`${which}: ${validity(r)}`];
      if (r.noisy) line.push(`${which}: noisy — ${r.noisy}`);
      if (r.ackErr > 0)
        line.push(`${which}: ${num(r.ackErr)} failed acks, e.g. \`${r.lastError}\``);
      return line;
    }),
  );
  return `Validity — ${notes.join('; ')}.`;
}

export function renderScenarios(results, params) {
  const parts = [];
  const { idle, rooms, bigRoom, history, changes } = results;

  if (idle) {
    const p = params.idle;
    parts.push(
      `### 1. Idle connections: ramp to ${num(p.connections)} at ${num(p.ratePerS)}/s\n`,
      comparison(idle, [
        ['connections open after the ramp', (r) => r.openAfterSettle, (v) => num(v), true],
        ['ramp duration (s)', (r) => r.rampS, (v) => num(v, 1)],
        ['connect time p50 (ms)', (r) => r.connect.p50, ms],
        ['connect time p99 (ms)', (r) => r.connect.p99, ms],
        ['RSS per connection (KiB)', (r) => r.rssPerConnBytes, kib],
        ['heap per connection (KiB)', (r) => r.heapPerConnBytes, kib],
        ['server CPU per connection (µs)', (r) => r.cpuPerConnectUs, (v) => num(v)],
        ['server RSS with all connected (MiB)', (r) => r.rssBytes, mib],
        [
          'generator CPU during ramp (% of its core)',
          (r) => r.generatorCpuTotalPct,
          (v) => num(v),
          true,
        ],
        neighbourRow,
        stealRow,
        systemRow,
      ]),
      '',
      validityLine(idle),
      '',
    );
  }

  if (rooms?.steady) {
    const p = params.rooms;
    parts.push(
      `### 2. ${num(p.clients)} clients in rooms of ${p.roomSize}, ${p.rate} msg/s each (${num(p.clients * p.rate * p.roomSize)} deliveries/s), ${p.measureS} s after ${p.warmS} s warm-up\n`,
      comparison(rooms.steady, loadRows),
      '',
      validityLine(rooms.steady),
      '',
    );
  }

  if (rooms?.knee) {
    const p = params.knee;
    const knee = rooms.knee;
    parts.push(
      `### 3. Knee: same clients, offered load from ${num(p.startPerS)} deliveries/s ×${p.factor} per step (${p.measureS} s steps) until p99 > ${p.p99LimitMs} ms or delivery < ${pct(p.minDeliveryRatio)}\n`,
      comparison(knee, [
        [
          'knee: delivered msgs/s at the last passing step',
          (r) => r.kneeDeliveredPerS,
          (v) => num(v),
        ],
        ['offered at the last passing step', (r) => r.kneeOfferedPerS, (v) => num(v)],
        ['first failing offered load', (r) => r.firstFailOfferedPerS, (v) => num(v)],
        ['p99 at the knee (ms)', (r) => r.atKnee?.latency.p99, ms],
        ['server CPU at the knee (%)', (r) => r.atKnee?.serverCpuPct, (v) => num(v)],
        ['CPU per delivery at the knee (µs)', (r) => r.atKnee?.cpuPerDeliveryUs, (v) => num(v, 2)],
        [
          'generator CPU at the knee (%)',
          (r) => r.atKnee?.generatorCpuTotalPct,
          (v) => num(v),
          true,
        ],
      ]),
      '',
      kneeNotes(knee),
      '',
      '<details><summary>Knee steps</summary>\n',
      table(
        [
          'server',
          'offered/s',
          'delivered/s',
          'p99 (ms)',
          'delivered',
          'server CPU',
          'gen CPU',
          'result',
        ],
        ['reference', 'socketio', 'ours']
          .filter((kind) => knee[kind])
          .flatMap((kind) =>
            knee[kind].steps.map((s) => [
              KIND_NAMES[kind],
              num(s.offeredPerS),
              num(s.deliveredPerS),
              ms(s.p99),
              pct(s.deliveryRatio, 2),
              `${num(s.serverCpuPct)} %`,
              `${num(s.generatorCpuTotalPct)} %`,
              (s.pass ? 'pass' : 'fail') +
                (s.valid ? '' : ' (generator-bound)') +
                (s.noisy ? ' (noisy)' : '') +
                (s.repeated ? ', repeated' : ''),
            ]),
          ),
      ),
      '\n</details>\n',
    );
  }

  if (bigRoom) {
    const p = params.bigRoom;
    parts.push(
      `### 4. One room of ${num(p.members)} members, one sender at ${p.rate} msg/s (${num(p.members * p.rate)} deliveries/s), ${p.measureS} s\n`,
      comparison(bigRoom, [
        ['seating all members (s)', (r) => r.setupS, (v) => num(v, 1)],
        ...loadRows,
      ]),
      '',
      validityLine(bigRoom),
      '',
    );
  }

  if (history) {
    const p = params.history;
    parts.push(
      `### 5. Joining a room holding ${num(p.messages)} stored messages (${p.joins} new members join one after another, then ${p.pages} newest-page requests)\n`,
      comparison(history, [
        ['preloading the messages (s)', (r) => r.preloadS, (v) => num(v, 1), true],
        ['first join after start (ms)', (r) => r.coldJoinMs, ms],
        ['join → first page p50 (ms)', (r) => r.join.p50, ms],
        ['join → first page p99 (ms)', (r) => r.join.p99, ms],
        ['join → first page max (ms)', (r) => r.join.max, ms],
        ['newest page (message:history) p50 (ms)', (r) => r.newestPage.p50, ms],
        ['newest page (message:history) p99 (ms)', (r) => r.newestPage.p99, ms],
        ['newest page (message:history) max (ms)', (r) => r.newestPage.max, ms],
        [
          'server CPU per join, connection included (µs)',
          (r) => r.serverCpuPerJoinUs,
          (v) => num(v),
        ],
        ['server CPU per newest-page request (µs)', (r) => r.serverCpuPerPageUs, (v) => num(v)],
        ['server RSS (MiB)', (r) => r.rssBytes, mib],
        neighbourRow,
        stealRow,
        systemRow,
      ]),
      '',
      validityLine(history),
    );
  }

  if (changes) {
    const p = params.changes;
    parts.push(
      `### 6. Changing sent messages (ours only): ${num(p.clients)} clients in rooms of ${p.roomSize}, ${p.rate} request/s each, two ${p.measureS} s windows per kind of request (earlier → later) after ${p.warmS} s warm-up each (${p.firstWarmS} s before the first)\n`,
      changesTable(changes),
      '',
      changesValidity(changes),
      '',
    );
  }
  return parts.join('\n');
}

function validityLine(results) {
  const notes = [];
  for (const kind of KINDS) {
    const r = results[kind];
    if (!r) continue;
    const name = KIND_NAMES[kind];
    notes.push(`${name}: ${validity(r)}`);
    if (r.noisy) notes.push(`${name}: noisy — ${r.noisy}`);
    if (r.deliveryRatio !== undefined && r.deliveryRatio < 1) {
      notes.push(`${name}: ${num(r.expected - r.received)} deliveries missing`);
    }
    if (r.ackErr > 0) notes.push(`${name}: ${num(r.ackErr)} failed acks, e.g. \`${r.lastError}\``);
    if (r.closedClients > 0) notes.push(`${name}: ${num(r.closedClients)} clients disconnected`);
  }
  return `Validity — ${notes.join('; ')}.`;
}

function kneeNotes(knee) {
  const notes = [];
  for (const kind of KINDS) {
    const r = knee[kind];
    if (!r) continue;
    const name = KIND_NAMES[kind];
    if (r.generatorBound) {
      const last = r.steps.at(-1);
      notes.push(
        `${name}: **generator-bound** — the generator reached its limit (${num(last.generatorCpuTotalPct)} % CPU, server ${num(last.serverCpuPct)} %) at ${num(last.offeredPerS)}/s, so the knee is at least ${num(r.kneeDeliveredPerS)}/s`,
      );
    } else if (r.reachedTop) {
      notes.push(
        `${name}: never failed within the step limit; the knee is above ${num(r.kneeDeliveredPerS)}/s`,
      );
    } else if (!r.atKnee) {
      notes.push(
        `${name}: failed even at ${num(r.firstFailOfferedPerS)} offered/s, the lowest step tried`,
      );
    } else {
      notes.push(
        `${name}: knee between ${num(r.kneeOfferedPerS)} and ${num(r.firstFailOfferedPerS)} offered/s`,
      );
    }
    const noisy = r.steps.filter((s) => s.noisy);
    if (noisy.length) {
      const reasons = [...new Set(noisy.map((s) => s.noisy))].join('; ');
      notes.push(`${name}: noisy in ${noisy.length} of ${r.steps.length} steps (${reasons})`);
    }
  }
  return `Validity — ${notes.join('; ')}.`;
}

/** The targets, evaluated on this run. */
export function renderTargets(results) {
  const rows = [];
  const verdict = (ok, measurable = true, ...sources) => {
    const base = !measurable ? 'n/a' : ok ? 'met' : '**not met**';
    const doubts = [];
    if (sources.some((r) => r && r.valid === false)) doubts.push('invalid window');
    if (sources.some((r) => r && (r.noisy || r.steps?.some((s) => s.noisy)))) doubts.push('noisy');
    return doubts.length ? `${base} (${doubts.join(', ')})` : base;
  };
  const steady = results.rooms?.steady;
  if (steady?.ours) {
    const o = steady.ours;
    const ref = steady.reference;
    rows.push([
      'S2: 100 % delivered',
      pct(o.deliveryRatio, 3),
      verdict(o.deliveryRatio >= 1, true, o),
    ]);
    rows.push(['S2: p50 ≤ 2 ms', `${ms(o.latency.p50)} ms`, verdict(o.latency.p50 <= 2, true, o)]);
    rows.push([
      'S2: p99 ≤ 10 ms',
      `${ms(o.latency.p99)} ms`,
      verdict(o.latency.p99 <= 10, true, o),
    ]);
    const cpuRatio = ref ? o.cpuPerDeliveryUs / ref.cpuPerDeliveryUs : NaN;
    rows.push([
      'S2: CPU per delivery ≤ 1.6× reference',
      `${num(o.cpuPerDeliveryUs, 2)} µs vs ${ref ? num(ref.cpuPerDeliveryUs, 2) : '–'} µs = ${num(cpuRatio, 2)}×`,
      verdict(cpuRatio <= 1.6, Number.isFinite(cpuRatio), o, ref),
    ]);
  }
  const knee = results.rooms?.knee;
  if (knee?.ours && knee?.reference) {
    const kneeRatio = knee.ours.kneeDeliveredPerS / knee.reference.kneeDeliveredPerS;
    const caveat =
      knee.reference.generatorBound || knee.reference.reachedTop
        ? ' (reference knee is a lower bound)'
        : '';
    rows.push([
      'S3: knee ≥ 0.75× reference',
      `${num(knee.ours.kneeDeliveredPerS)}/s vs ${num(knee.reference.kneeDeliveredPerS)}/s = ${num(kneeRatio, 2)}×${caveat}`,
      verdict(kneeRatio >= 0.75, Number.isFinite(kneeRatio), knee.ours, knee.reference),
    ]);
  }
  const idle = results.idle;
  if (idle?.ours && idle?.reference) {
    const memRatio = idle.ours.rssPerConnBytes / idle.reference.rssPerConnBytes;
    rows.push([
      'S1: RSS per idle connection ≤ 2× reference',
      `${kib(idle.ours.rssPerConnBytes)} KiB vs ${kib(idle.reference.rssPerConnBytes)} KiB = ${num(memRatio, 2)}×`,
      verdict(memRatio <= 2, true, idle.ours, idle.reference),
    ]);
  }
  const history = results.history?.ours;
  if (history) {
    rows.push([
      'S5: newest page ≤ 10 ms p99',
      `join ${ms(history.join.p99)} ms, message:history ${ms(history.newestPage.p99)} ms`,
      verdict(history.join.p99 <= 10 && history.newestPage.p99 <= 10, true, history),
    ]);
  }
  if (!rows.length) return '';
  return [table(['target', 'this run', 'verdict'], rows), frameworkShare(results)]
    .filter(Boolean)
    .join('\n\n');
}

/** What Socket.IO alone costs against the reference in the same run: the framework's share. */
function frameworkShare(results) {
  const steady = results.rooms?.steady;
  const knee = results.rooms?.knee;
  const parts = [];
  if (steady?.socketio && steady.reference) {
    const { socketio, reference, ours } = steady;
    parts.push(
      `CPU per delivery ${num(socketio.cpuPerDeliveryUs, 2)} µs = ${ratio(socketio.cpuPerDeliveryUs, reference.cpuPerDeliveryUs)} the reference` +
        (ours
          ? ` (ours is ${ratio(ours.cpuPerDeliveryUs, socketio.cpuPerDeliveryUs)} Socket.IO alone)`
          : ''),
    );
  }
  if (knee?.socketio && knee.reference) {
    const { socketio, reference, ours } = knee;
    parts.push(
      `knee ${num(socketio.kneeDeliveredPerS)}/s = ${ratio(socketio.kneeDeliveredPerS, reference.kneeDeliveredPerS)} the reference's` +
        (ours
          ? ` (ours is ${ratio(ours.kneeDeliveredPerS, socketio.kneeDeliveredPerS)} Socket.IO alone's)`
          : ''),
    );
  }
  if (!parts.length) return '';
  return `Socket.IO alone in this run (the same rooms on bare Socket.IO, no validation, storage or sessions): ${parts.join('; ')}.`;
}
