import assert from 'node:assert/strict';
import {
  fieldKeyOf,
  foldForSearch,
  isCalendarDate,
  normalizeFieldValue,
} from '../../src/records/fields';
import { formatRecordId, isRecordId, parseRecordId } from '../../src/records/record-id';

describe('fields', () => {
  it('maps typed names and aliases to fields', () => {
    assert.equal(fieldKeyOf('Title'), 'title');
    assert.equal(fieldKeyOf('dept'), 'department');
    assert.equal(fieldKeyOf('start_date'), 'startDate');
    assert.equal(fieldKeyOf('salary'), undefined);
  });

  it('checks calendar dates', () => {
    assert.equal(isCalendarDate('2024-02-29'), true);
    assert.equal(isCalendarDate('2023-02-29'), false);
    assert.equal(isCalendarDate('2024-2-1'), false);
    assert.equal(isCalendarDate('2024-12-31T00:00'), false);
  });

  it('checks dates in every four-digit year from 0001', () => {
    const cases: [string, boolean][] = [
      ['0001-01-01', true],
      ['0004-02-29', true],
      ['0099-12-31', true],
      ['0100-02-29', false],
      ['0400-02-29', true],
      ['1000-01-01', true],
      ['1900-02-29', false],
      ['9999-12-31', true],
      ['0000-01-01', false],
    ];
    for (const [date, valid] of cases) {
      assert.equal(isCalendarDate(date), valid, date);
    }
  });

  it('explains that years start at 0001', () => {
    assert.throws(
      () => normalizeFieldValue('startDate', '0000-05-01'),
      /^InvalidInputError: "0000-05-01" is not a valid start date\. Years start at 0001\. Use YYYY-MM-DD/,
    );
  });

  it('accepts usual email addresses and rejects broken ones', () => {
    assert.equal(
      normalizeFieldValue('email', 'ana.nunez+hr@contoso.co.uk'),
      'ana.nunez+hr@contoso.co.uk',
    );
    assert.equal(normalizeFieldValue('email', 'josé@exämple.de'), 'josé@exämple.de');
    for (const bad of [
      'ana',
      'ana@contoso',
      '@contoso.com',
      'ana@@contoso.com',
      'ana@contoso..com',
    ]) {
      assert.throws(() => normalizeFieldValue('email', bad), /not a valid email address/, bad);
    }
  });

  it('accepts email addresses up to 254 characters', () => {
    const domain = `${'d'.repeat(63)}.${'e'.repeat(63)}.com`;
    const longest = `${'a'.repeat(254 - domain.length - 1)}@${domain}`;
    assert.equal(longest.length, 254);
    assert.equal(normalizeFieldValue('email', longest), longest);
    assert.throws(
      () => normalizeFieldValue('email', `a${longest}`),
      /^InvalidInputError: The email is 255 characters long, but the maximum is 254\. Shorten it/,
    );
  });

  it('limits other text fields to 200 characters', () => {
    const longest = 'x'.repeat(200);
    assert.equal(normalizeFieldValue('title', longest), longest);
    assert.throws(
      () => normalizeFieldValue('title', `${longest}x`),
      /^InvalidInputError: The title is 201 characters long, but the maximum is 200\. Shorten it/,
    );
  });

  it('rejects control characters', () => {
    assert.throws(
      () => normalizeFieldValue('title', 'a\u0007b'),
      /^InvalidInputError: The title contains the control character U\+0007\. Remove it/,
    );
  });

  it('folds case and accents for search', () => {
    assert.equal(foldForSearch('Núñez ZÜRICH'), 'nunez zurich');
  });

  it('formats and parses record ids', () => {
    assert.equal(formatRecordId(1001), 'E-1001');
    assert.equal(parseRecordId('e1001'), 1001);
    assert.equal(isRecordId('E-'), false);
    assert.throws(
      () => parseRecordId('X-1'),
      /"X-1" is not a record id\. Record ids look like E-1001\./,
    );
  });
});
