/**
 * Numbers as operators read them: short, with units, never `NaN`. Every function takes plain
 * numbers (ms, bytes, counts) and returns text; `null` and `undefined` print as an em dash.
 */

/** What missing figures print as. */
export const MISSING = '—';

/**
 * A duration in the largest sensible units: `850 ms`, `12 s`, `3 m 05 s`, `2 h 14 m`, `3 d 4 h`.
 * @example formatDuration(185_000) === '3 m 05 s'
 */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  const abs = Math.max(0, ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  const s = Math.floor(abs / 1_000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h} h ${String(m % 60).padStart(2, '0')} m`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/**
 * A latency in milliseconds with precision where it matters: `0.42 ms`, `12.3 ms`, `240 ms`.
 * @example formatLatency(12.345) === '12.3 ms'
 */
export function formatLatency(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return MISSING;
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  return `${Math.round(ms)} ms`;
}

/**
 * A per-second rate: `0`, `0.4/s`, `12/s`, `1.2k/s`.
 * @example formatRate(1234) === '1.2k/s'
 */
export function formatRate(perSecond: number | null | undefined): string {
  if (perSecond === null || perSecond === undefined || !Number.isFinite(perSecond)) return MISSING;
  if (perSecond === 0) return '0/s';
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  if (perSecond < 1_000) return `${Math.round(perSecond)}/s`;
  return `${(perSecond / 1_000).toFixed(1)}k/s`;
}

/**
 * A count with thousands separators: `10,000`.
 * @example formatCount(10000) === '10,000'
 */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return MISSING;
  return Math.round(count).toLocaleString('en-US');
}

/**
 * Bytes in binary units: `512 B`, `1.5 MiB`.
 * @example formatBytes(1536) === '1.5 KiB'
 */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return MISSING;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * A wall-clock time of day, 24 h, local: `14:03:27`.
 * @example formatClock(Date.now())
 */
export function formatClock(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return MISSING;
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour12: false });
}

/**
 * A date and time, local: `2024-05-01 14:03:27`.
 * @example formatDateTime(0)
 */
export function formatDateTime(epochMs: number | null | undefined): string {
  if (epochMs === null || epochMs === undefined || !Number.isFinite(epochMs)) return MISSING;
  const date = new Date(epochMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(epochMs)}`;
}

/**
 * A count with its noun, singular or plural: `1 user`, `3 users`.
 * @example plural(1, 'connection') === '1 connection'
 */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${formatCount(count)} ${count === 1 ? noun : nouns}`;
}
