/**
 * Latency recording. The hot path appends microseconds to typed-array chunks (a few ns per
 * sample); when a window closes the samples go into an HDR histogram (hdr-histogram-js,
 * 3 significant digits, 1 µs to 2 min), which is what travels between processes (compressed
 * base64) and what percentiles are read from. Recording straight into hdr-histogram-js costs
 * 0.2–0.5 µs per value on this machine, too much for a generator meant to stay idle.
 */
import hdr from 'hdr-histogram-js';

const CHUNK = 1 << 16;
const HIGHEST_US = 120_000_000;

export function newHistogram() {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_US,
    numberOfSignificantValueDigits: 3,
    autoResize: false,
  });
}

export class Samples {
  constructor() {
    this.full = [];
    this.chunk = new Uint32Array(CHUNK);
    this.length = 0;
  }

  push(us) {
    if (this.length === CHUNK) {
      this.full.push(this.chunk);
      this.chunk = new Uint32Array(CHUNK);
      this.length = 0;
    }
    // Clamp into the histogram's range; Uint32Array truncates fractions.
    this.chunk[this.length++] = us < 1 ? 1 : us > HIGHEST_US ? HIGHEST_US : us;
  }

  get count() {
    return this.full.length * CHUNK + this.length;
  }

  /** The samples as an encoded HDR histogram. */
  encode() {
    const histogram = newHistogram();
    for (const chunk of this.full) for (const value of chunk) histogram.recordValue(value);
    for (let i = 0; i < this.length; i++) histogram.recordValue(this.chunk[i]);
    const encoded = hdr.encodeIntoCompressedBase64(histogram);
    histogram.destroy();
    return encoded;
  }
}

/** Merges encoded histograms; returns a summary in milliseconds. */
export function summarise(encodedList) {
  const total = newHistogram();
  for (const encoded of encodedList) {
    if (!encoded) continue;
    const histogram = hdr.decodeFromCompressedBase64(encoded);
    total.add(histogram);
  }
  const ms = (p) => total.getValueAtPercentile(p) / 1000;
  const summary = {
    count: total.totalCount,
    p50: total.totalCount ? ms(50) : NaN,
    p90: total.totalCount ? ms(90) : NaN,
    p99: total.totalCount ? ms(99) : NaN,
    p999: total.totalCount ? ms(99.9) : NaN,
    max: total.totalCount ? total.maxValue / 1000 : NaN,
    mean: total.totalCount ? total.mean / 1000 : NaN,
  };
  total.destroy();
  return summary;
}

/** Summary of raw µs values (small sample sets measured in the orchestrator). */
export function summariseValues(values) {
  const samples = new Samples();
  for (const value of values) samples.push(Math.round(value));
  return summarise([samples.encode()]);
}
