import assert from 'node:assert/strict';
import { parseChangesCommand, parseEmployeeCommand } from '../../src/records/command-parser';
import { InvalidInputError } from '../../src/records/errors';

function rejects(
  args: string,
  pattern: RegExp,
  parse: (args: string) => unknown = parseEmployeeCommand,
) {
  assert.throws(
    () => parse(args),
    (error: Error) => {
      assert.ok(error instanceof InvalidInputError, `${error.name}: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('parseEmployeeCommand', () => {
  it('reads help for no words, help and ?', () => {
    for (const args of ['', 'help', 'HELP', '?']) {
      assert.deepEqual(parseEmployeeCommand(args), { kind: 'help' });
    }
  });

  it('reads add with an unquoted name and fields', () => {
    assert.deepEqual(
      parseEmployeeCommand('add Ana María Núñez title=Engineer START_DATE=2024-05-01'),
      {
        kind: 'add',
        fields: { name: 'Ana María Núñez', title: 'Engineer', startDate: '2024-05-01' },
      },
    );
  });

  it('reads add with a quoted name', () => {
    assert.deepEqual(parseEmployeeCommand('ADD “Ana Núñez” email=ana@contoso.com'), {
      kind: 'add',
      fields: { name: 'Ana Núñez', email: 'ana@contoso.com' },
    });
  });

  it('reads add with name=', () => {
    assert.deepEqual(parseEmployeeCommand('add name="Ana Núñez"'), {
      kind: 'add',
      fields: { name: 'Ana Núñez' },
    });
  });

  it('accepts every start date alias', () => {
    for (const alias of ['start', 'startDate', 'start_date', 'start-date', 'StartDate']) {
      const command = parseEmployeeCommand(`set E-1001 ${alias}=2024-02-29`);
      assert.deepEqual(command, {
        kind: 'set',
        recordNumber: 1001,
        fields: { startDate: '2024-02-29' },
      });
    }
  });

  it('continues an unquoted value with plain words', () => {
    assert.deepEqual(parseEmployeeCommand('set e-1001 title=Senior Engineer location=São Paulo'), {
      kind: 'set',
      recordNumber: 1001,
      fields: { title: 'Senior Engineer', location: 'São Paulo' },
    });
  });

  it('clears a field with an empty value', () => {
    assert.deepEqual(parseEmployeeCommand('set E1001 manager=""'), {
      kind: 'set',
      recordNumber: 1001,
      fields: { manager: null },
    });
  });

  it('normalises values to NFC', () => {
    const decomposed = 'Zu\u0308rich';
    const command = parseEmployeeCommand(`set E-1001 location=${decomposed}`);
    assert.deepEqual(command, { kind: 'set', recordNumber: 1001, fields: { location: 'Zürich' } });
  });

  it('reads show by id and by name', () => {
    assert.deepEqual(parseEmployeeCommand('show E-1001'), { kind: 'show', recordNumber: 1001 });
    assert.deepEqual(parseEmployeeCommand('show ana núñez'), { kind: 'find', name: 'ana núñez' });
  });

  it('reads remove and purge with and without confirm', () => {
    assert.deepEqual(parseEmployeeCommand('remove E-1001'), {
      kind: 'remove',
      recordNumber: 1001,
      confirm: false,
    });
    assert.deepEqual(parseEmployeeCommand('remove E-1001 CONFIRM'), {
      kind: 'remove',
      recordNumber: 1001,
      confirm: true,
    });
    assert.deepEqual(parseEmployeeCommand('purge E-1001 confirm'), {
      kind: 'purge',
      recordNumber: 1001,
      confirm: true,
    });
  });

  it('reads list with text and page', () => {
    assert.deepEqual(parseEmployeeCommand('list'), { kind: 'list', text: '', page: 1 });
    assert.deepEqual(parseEmployeeCommand('list page 3'), { kind: 'list', text: '', page: 3 });
    assert.deepEqual(parseEmployeeCommand('list senior eng Page 2'), {
      kind: 'list',
      text: 'senior eng',
      page: 2,
    });
    assert.deepEqual(parseEmployeeCommand('list "page" "2"'), {
      kind: 'list',
      text: 'page 2',
      page: 1,
    });
  });

  const invalid: [string, RegExp][] = [
    ['fire E-1001', /Unknown employee command "fire"\. Use one of: employee add/],
    ['add', /needs a name\. Example: employee add/],
    ['add title=Engineer', /needs a name/],
    ['add Ana name=Ana', /name is given twice/],
    ['add Ana salary=100', /Unknown field "salary"\. Fields: name, title, .*start \(YYYY-MM-DD\)/],
    ['add Ana title=a title=b', /field title is given twice/],
    ['add Ana =x', /field name is missing before "="/],
    ['add Ana email=ana@', /"ana@" is not a valid email address\. Example: email=/],
    ['add Ana start=2024-02-30', /"2024-02-30" is not a valid start date\. Use YYYY-MM-DD/],
    ['add Ana start=1/5/2024', /"1\/5\/2024" is not a valid start date/],
    ['add Ana name=""', /name cannot be empty/],
    [
      `add ${'n'.repeat(230)}`,
      /^The name is 230 characters long, but the maximum is 200\. Shorten it and send the command again\.$/,
    ],
    ['set', /Say which record to change, then the fields\. Example: employee set E-1001/],
    ['set Ana title=x', /"Ana" is not a record id; record ids look like E-1001/],
    ['set E-1001', /Say which fields to change/],
    ['set E-1001 Engineer', /"Engineer" is not a field=value pair/],
    ['set E-1001 title="Lead" Berlin', /"Berlin" is not a field=value pair/],
    ['show', /Say which record to show/],
    ['remove', /Say which record to remove/],
    ['remove E-1001 now', /Only "confirm" may follow the id, not "now"/],
    ['purge 1001 confirm', /"1001" is not a record id/],
    ['list page', /Give the page number after "page"/],
    ['list page 0', /"0" is not a page number; pages start at 1/],
    ['list page two', /"two" is not a page number/],
  ];
  for (const [args, pattern] of invalid) {
    it(`rejects "${args.slice(0, 40)}"`, () => rejects(args, pattern));
  }
});

describe('parseChangesCommand', () => {
  it('reads no arguments', () => {
    assert.deepEqual(parseChangesCommand(''), {});
  });

  it('reads an id and a since date in either order', () => {
    const expected = { recordNumber: 1001, since: '2025-01-31' };
    assert.deepEqual(parseChangesCommand('E-1001 since 2025-01-31'), expected);
    assert.deepEqual(parseChangesCommand('SINCE 2025-01-31 e-1001'), expected);
  });

  it('rejects a bad date, a missing date and extra words', () => {
    rejects(
      'since 2025-02-30',
      /"2025-02-30" is not a valid date\. Use: changes/,
      parseChangesCommand,
    );
    rejects('since', /A date is missing after "since"/, parseChangesCommand);
    rejects(
      'E-1001 e1002',
      /^Give one record id, not both E-1001 and E-1002\. To see the changes to every record, leave the id out\. Use: changes \[id\]/,
      parseChangesCommand,
    );
    rejects(
      'since 2025-01-01 since 2025-02-01',
      /^"since" is given twice\. Give one date\. Use: changes/,
      parseChangesCommand,
    );
    rejects('yesterday', /"yesterday" is not a record id or "since"/, parseChangesCommand);
  });
});
