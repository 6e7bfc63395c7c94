import assert from 'node:assert/strict';
import { InvalidInputError } from '../../src/records/errors';
import { tokenize } from '../../src/records/tokenize';

describe('tokenize', () => {
  it('splits words and field=value pairs', () => {
    assert.deepEqual(tokenize('add Ana title=Engineer'), [
      { kind: 'word', text: 'add', quoted: false },
      { kind: 'word', text: 'Ana', quoted: false },
      { kind: 'assignment', field: 'title', value: 'Engineer', quoted: false },
    ]);
  });

  const quotedValues: [string, string][] = [
    ['title="Senior Engineer"', 'straight double quotes'],
    ["title='Senior Engineer'", 'straight single quotes'],
    ['title=“Senior Engineer”', 'typographic double quotes'],
    ['title=‘Senior Engineer’', 'typographic single quotes'],
    ['title=„Senior Engineer“', 'low opening quote'],
    ['title=”Senior Engineer”', 'two closing quotes'],
  ];
  for (const [typed, description] of quotedValues) {
    it(`reads a value in ${description}`, () => {
      assert.deepEqual(tokenize(typed), [
        { kind: 'assignment', field: 'title', value: 'Senior Engineer', quoted: true },
      ]);
    });
  }

  it('reads a quoted word', () => {
    assert.deepEqual(tokenize('“Ana María Núñez” x'), [
      { kind: 'word', text: 'Ana María Núñez', quoted: true },
      { kind: 'word', text: 'x', quoted: false },
    ]);
  });

  it('keeps apostrophes inside words', () => {
    assert.deepEqual(tokenize("Siobhán O'Brien manager=D’Arcy"), [
      { kind: 'word', text: 'Siobhán', quoted: false },
      { kind: 'word', text: "O'Brien", quoted: false },
      { kind: 'assignment', field: 'manager', value: 'D’Arcy', quoted: false },
    ]);
  });

  it('closes a quote only before a space or the end', () => {
    assert.deepEqual(tokenize("title='Director's assistant' x=1"), [
      { kind: 'assignment', field: 'title', value: "Director's assistant", quoted: true },
      { kind: 'assignment', field: 'x', value: '1', quoted: false },
    ]);
  });

  it('keeps = inside a value', () => {
    assert.deepEqual(tokenize('title=a=b'), [
      { kind: 'assignment', field: 'title', value: 'a=b', quoted: false },
    ]);
  });

  it('reads an empty value', () => {
    assert.deepEqual(tokenize('title= title2=""'), [
      { kind: 'assignment', field: 'title', value: '', quoted: false },
      { kind: 'assignment', field: 'title2', value: '', quoted: true },
    ]);
  });

  it('rejects a quote that never closes', () => {
    assert.throws(
      () => tokenize('title="Senior Engineer'),
      (error: Error) => {
        assert.ok(error instanceof InvalidInputError);
        assert.match(error.message, /never closed/);
        assert.match(error.message, /"Senior Engineer/);
        return true;
      },
    );
  });

  it('returns nothing for blank text', () => {
    assert.deepEqual(tokenize('   '), []);
  });
});
