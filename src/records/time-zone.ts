const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Tells whether `timeZone` is an IANA time zone name that this runtime supports. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the wall-clock fields of `date` in `timeZone`, with astronomical years (1 BC is the
 * year 0), as Date counts them. Throws RangeError for an unknown zone.
 */
function wallClock(date: Date, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  let era = '';
  for (const part of formatterFor(timeZone).formatToParts(date)) {
    if (part.type === 'era') {
      era = part.value;
    } else if (part.type !== 'literal') {
      parts[part.type] = Number(part.value);
    }
  }
  // The en-US format counts years before 1 AD backwards from 1 BC.
  if (era === 'BC') {
    parts.year = 1 - parts.year;
  }
  return parts;
}

/** Formats `date` as `YYYY-MM-DD HH:mm` in `timeZone`, followed by the zone name. */
export function formatDateTime(date: Date, timeZone: string): string {
  const { year, month, day, hour, minute } = wallClock(date, timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${year}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)} ${timeZone}`;
}

/**
 * Returns the epoch milliseconds of a UTC date and time, `month` counted from 1. Unlike
 * Date.UTC, which reads the years 0 to 99 as 1900 to 1999, it takes every year as given.
 */
export function utcTime(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** Returns how far `timeZone` is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClock(new Date(instant), timeZone);
  const asUtc = utcTime(year, month, day, hour, minute, second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * Returns the first instant of the calendar day `date` (YYYY-MM-DD) in `timeZone`. Where a
 * daylight-saving change skips midnight, this is the first instant after the gap.
 */
export function startOfDay(date: string, timeZone: string): Date {
  const [year, month, day] = date.split('-').map(Number);
  const midnightUtc = utcTime(year, month, day);
  const firstGuess = midnightUtc - offsetAt(midnightUtc, timeZone);
  const midnight = midnightUtc - offsetAt(firstGuess, timeZone);
  // When midnight does not exist, `midnight` falls on the evening before; the first guess is
  // then the end of the gap.
  return new Date(wallClock(new Date(midnight), timeZone).day === day ? midnight : firstGuess);
}
