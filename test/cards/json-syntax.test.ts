import assert from 'node:assert/strict';
import { findJsonSyntaxError, lineAndColumn } from '../../src/cards/json-syntax';

describe('findJsonSyntaxError', () => {
  const cases: [string, number | undefined][] = [
    ['{}', undefined],
    ['{"a":[1,{"b":"c\\n\\u00e9"}],"d":-1.5e3,"e":true,"f":null}', undefined],
    [' [ ] ', undefined],
    ['{"a":1,}', 7],
    ['[,]', 1],
    ['{"a" 1}', 5],
    ['"open', 5],
    ['{"a":tru}', 5],
    ['1 2', 2],
    ['', 0],
    ['{"a":"tab\there"}', 9],
    ['01', 1],
    ['"\\u12"', 1],
    ["{'a':1}", 1],
  ];

  for (const [text, offset] of cases) {
    it(`finds ${offset ?? 'no error'} in ${JSON.stringify(text)}`, () => {
      assert.equal(findJsonSyntaxError(text), offset);
    });
  }

  it('agrees with JSON.parse on damaged cards', () => {
    const valid = JSON.stringify(
      { type: 'AdaptiveCard', body: [{ text: 'é "q"', n: 1.5 }] },
      null,
      2,
    );
    // Deleting each character in turn yields texts that are valid or broken at some offset.
    for (let index = 0; index < valid.length; index++) {
      const damaged = valid.slice(0, index) + valid.slice(index + 1);
      let parses = true;
      try {
        JSON.parse(damaged);
      } catch {
        parses = false;
      }
      assert.equal(findJsonSyntaxError(damaged) === undefined, parses, JSON.stringify(damaged));
    }
  });
});

describe('lineAndColumn', () => {
  it('counts from one', () => {
    assert.deepEqual(lineAndColumn('ab\ncd', 0), { line: 1, column: 1 });
    assert.deepEqual(lineAndColumn('ab\ncd', 4), { line: 2, column: 2 });
  });
});
