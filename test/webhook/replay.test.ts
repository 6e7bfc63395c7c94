import assert from 'node:assert/strict';
import { checkTimestamp, parseTimestamp } from '../../src/webhook/replay';

const now = Date.parse('2026-12-04T10:00:00.000Z');

describe('checkTimestamp', () => {
  const cases: [string, unknown, string | undefined][] = [
    ['a current timestamp', '2026-12-04T10:00:00.000Z', undefined],
    ['seven fractional digits', '2026-12-04T09:59:30.1234567Z', undefined],
    ['no fraction', '2026-12-04T09:59:30Z', undefined],
    ['an offset zone', '2026-12-04T11:59:00.000+02:00', undefined],
    ['just inside the window', '2026-12-04T09:55:00.000Z', undefined],
    ['just outside the window', '2026-12-04T09:54:59.999Z', 'timestamp_stale'],
    ['a year old', '2025-12-04T10:00:00.000Z', 'timestamp_stale'],
    ['within the clock skew', '2026-12-04T10:01:00.000Z', undefined],
    ['beyond the clock skew', '2026-12-04T10:01:00.001Z', 'timestamp_future'],
    ['missing', undefined, 'timestamp_missing'],
    ['null', null, 'timestamp_missing'],
    ['a number', now, 'timestamp_invalid'],
    ['empty', '', 'timestamp_missing'],
    ['no zone', '2026-12-04T10:00:00.000', 'timestamp_invalid'],
    ['a date only', '2026-12-04', 'timestamp_invalid'],
    ['garbage', 'yesterday', 'timestamp_invalid'],
    ['an impossible date', '2026-13-45T10:00:00Z', 'timestamp_invalid'],
  ];
  for (const [name, timestamp, expected] of cases) {
    it(`${name} is ${expected ?? 'accepted'}`, () => {
      assert.equal(checkTimestamp(timestamp, now, 300), expected);
    });
  }

  it('accepts anything when the window is 0', () => {
    assert.equal(checkTimestamp(undefined, now, 0), undefined);
    assert.equal(checkTimestamp('2017-02-01T21:10:07.437Z', now, 0), undefined);
  });
});

describe('parseTimestamp', () => {
  it('keeps millisecond precision of longer fractions', () => {
    assert.equal(
      parseTimestamp('2024-05-14T09:21:33.1234567Z'),
      Date.parse('2024-05-14T09:21:33.123Z'),
    );
  });
});
