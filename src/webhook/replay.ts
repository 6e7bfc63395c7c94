/** Reason code of a rejected activity timestamp. */
export type TimestampFailure =
  'timestamp_missing' | 'timestamp_invalid' | 'timestamp_stale' | 'timestamp_future';

/**
 * How far ahead of this server's clock a timestamp may be, in seconds. Teams stamps activities
 * with its own clock; one minute covers ordinary drift between the two clocks.
 */
export const MAX_CLOCK_SKEW_SECONDS = 60;

/**
 * Checks that a signed activity is recent. Teams signs only the body, so a captured request
 * stays valid forever unless its `timestamp` is checked. `windowSeconds` 0 switches the check
 * off. Returns undefined when the activity is fresh.
 */
export function checkTimestamp(
  timestamp: unknown,
  nowMs: number,
  windowSeconds: number,
): TimestampFailure | undefined {
  if (windowSeconds === 0) {
    return undefined;
  }
  if (timestamp === undefined || timestamp === null || timestamp === '') {
    return 'timestamp_missing';
  }
  const time = typeof timestamp === 'string' ? parseTimestamp(timestamp) : Number.NaN;
  if (Number.isNaN(time)) {
    return 'timestamp_invalid';
  }
  if (time < nowMs - windowSeconds * 1000) {
    return 'timestamp_stale';
  }
  if (time > nowMs + MAX_CLOCK_SKEW_SECONDS * 1000) {
    return 'timestamp_future';
  }
  return undefined;
}

// ISO-8601 with a zone, as Teams sends it; up to 7 fractional digits (2024-05-14T09:21:33.1234567Z).
const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** Parses an ISO-8601 timestamp with a zone to epoch milliseconds, or NaN. */
export function parseTimestamp(text: string): number {
  const match = ISO_TIMESTAMP.exec(text.trim());
  if (match === null) {
    return Number.NaN;
  }
  const [, dateTime, fraction = '', zone] = match;
  const milliseconds = fraction.padEnd(3, '0').slice(0, 3);
  return Date.parse(`${dateTime}.${milliseconds}${zone}`);
}
