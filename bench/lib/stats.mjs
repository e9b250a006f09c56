// Latency bookkeeping shared by the runner and the load generators: HDR histograms of
// microseconds, shipped between processes compressed, summarised in milliseconds.
import hdr from 'hdr-histogram-js';

/** Largest latency a histogram tracks, µs (one minute); larger values are clamped to it. */
export const MAX_LATENCY_US = 60_000_000;

/**
 * Microseconds on the machine's monotonic clock (CLOCK_MONOTONIC, shared by every process on
 * the host), so a timestamp taken in one process can be subtracted in another.
 */
export function nowUs() {
  return Number(process.hrtime.bigint() / 1000n);
}

/** An empty histogram of microseconds, 3 significant digits. */
export function newHistogram() {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_LATENCY_US, numberOfSignificantValueDigits: 3 });
}

/** Records one latency in µs (negative as 0, beyond the range clamped). */
export function recordUs(histogram, micros) {
  histogram.recordValue(Math.min(Math.max(0, Math.round(micros)), MAX_LATENCY_US));
}

/** Compressed base64 form of a histogram, for IPC. */
export function encodeHistogram(histogram) {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Merges encoded histograms into one. */
export function mergeEncoded(encoded) {
  const merged = newHistogram();
  for (const item of encoded) if (item) merged.add(hdr.decodeFromCompressedBase64(item));
  return merged;
}

/**
 * `{count, p50, p90, p99, max}` in ms with three decimals. HDR reports a percentile as the top of
 * its bucket, which can exceed the recorded max; percentiles are capped at it.
 */
export function summarize(histogram) {
  if (histogram.totalCount === 0) return { count: 0, p50: null, p90: null, p99: null, max: null };
  const max = histogram.maxValue;
  const at = (percentile) => round3(Math.min(histogram.getValueAtPercentile(percentile), max) / 1000);
  return { count: histogram.totalCount, p50: at(50), p90: at(90), p99: at(99), max: round3(max / 1000) };
}

/** A number rounded to three decimals. */
export function round3(value) {
  return Math.round(value * 1000) / 1000;
}

/**
 * Deterministic pseudo-random numbers in [0, 1) (mulberry32), so every run builds the same
 * channels and posts to the same sequence of them.
 * @example const random = seededRandom(42); random(); // 0.6011...
 */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
