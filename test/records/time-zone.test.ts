import assert from 'node:assert/strict';
import { formatDateTime, isValidTimeZone, startOfDay, utcTime } from '../../src/records/time-zone';

describe('time zone', () => {
  const instant = new Date('2025-03-04T13:05:30Z');

  it('formats in UTC and in a named zone', () => {
    assert.equal(formatDateTime(instant, 'UTC'), '2025-03-04 13:05 UTC');
    assert.equal(formatDateTime(instant, 'Europe/Berlin'), '2025-03-04 14:05 Europe/Berlin');
    assert.equal(
      formatDateTime(instant, 'America/Los_Angeles'),
      '2025-03-04 05:05 America/Los_Angeles',
    );
  });

  it('formats midnight as 00, not 24', () => {
    assert.equal(
      formatDateTime(new Date('2025-03-04T23:00:00Z'), 'Europe/Berlin'),
      '2025-03-05 00:00 Europe/Berlin',
    );
  });

  it('tells known zones from unknown ones', () => {
    assert.equal(isValidTimeZone('Asia/Kolkata'), true);
    assert.equal(isValidTimeZone('Mars/Olympus'), false);
  });

  it('finds local midnight in winter and summer time', () => {
    assert.equal(
      startOfDay('2025-01-15', 'Europe/Berlin').toISOString(),
      '2025-01-14T23:00:00.000Z',
    );
    assert.equal(
      startOfDay('2025-07-15', 'Europe/Berlin').toISOString(),
      '2025-07-14T22:00:00.000Z',
    );
    assert.equal(startOfDay('2025-07-15', 'UTC').toISOString(), '2025-07-15T00:00:00.000Z');
    assert.equal(
      startOfDay('2025-07-15', 'Asia/Kolkata').toISOString(),
      '2025-07-14T18:30:00.000Z',
    );
  });

  it('takes years before 100 as given', () => {
    assert.equal(new Date(utcTime(1, 1, 1)).toISOString(), '0001-01-01T00:00:00.000Z');
    assert.equal(
      new Date(utcTime(99, 12, 31, 23, 59, 58)).toISOString(),
      '0099-12-31T23:59:58.000Z',
    );
    assert.equal(startOfDay('0050-03-01', 'UTC').toISOString(), '0050-03-01T00:00:00.000Z');
    // Before 1893, Berlin kept local mean time, 53 minutes and 28 seconds ahead of UTC.
    assert.equal(
      startOfDay('0050-03-01', 'Europe/Berlin').toISOString(),
      '0050-02-28T23:06:32.000Z',
    );
    // New York kept local mean time, UTC-4:56:02, so at the UTC midnight of 0001-01-01 its wall
    // clock still shows the last evening of 1 BC.
    assert.equal(
      startOfDay('0001-01-01', 'America/New_York').toISOString(),
      '0001-01-01T04:56:02.000Z',
    );
  });

  it('finds the start of a day whose midnight is skipped', () => {
    // Chile moved its clocks from 00:00 to 01:00 on 2024-09-08.
    const start = startOfDay('2024-09-08', 'America/Santiago');
    assert.equal(formatDateTime(start, 'America/Santiago'), '2024-09-08 01:00 America/Santiago');
  });
});
