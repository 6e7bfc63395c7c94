/**
 * Returns the offset of the first JSON syntax error in `text` (RFC 8259), or undefined when the
 * text is valid JSON. Node's JSON.parse does not report a position for every error, and
 * designers need a line and column to find the mistake.
 */
export function findJsonSyntaxError(text: string): number | undefined {
  const scanner = new JsonScanner(text);
  try {
    scanner.value();
    scanner.skipSpace();
    if (scanner.offset < text.length) {
      scanner.fail();
    }
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxStop) {
      return error.offset;
    }
    throw error;
  }
}

/** Converts a character offset into a 1-based line and column. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const lines = text.slice(0, offset).split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

class SyntaxStop {
  constructor(readonly offset: number) {}
}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

class JsonScanner {
  offset = 0;

  constructor(private readonly text: string) {}

  fail(): never {
    throw new SyntaxStop(this.offset);
  }

  skipSpace(): void {
    while (' \t\n\r'.includes(this.text[this.offset] ?? 'end')) {
      this.offset++;
    }
  }

  value(): void {
    this.skipSpace();
    const next = this.text[this.offset];
    if (next === '{') {
      this.members('}', () => {
        this.skipSpace();
        this.string();
        this.skipSpace();
        this.expect(':');
        this.value();
      });
    } else if (next === '[') {
      this.members(']', () => this.value());
    } else if (next === '"') {
      this.string();
    } else {
      this.literal();
    }
  }

  /** Reads `member`s separated by commas up to `close`, starting at the opening bracket. */
  private members(close: string, member: () => void): void {
    this.offset++;
    this.skipSpace();
    if (this.text[this.offset] === close) {
      this.offset++;
      return;
    }
    for (;;) {
      member();
      this.skipSpace();
      if (this.text[this.offset] === close) {
        this.offset++;
        return;
      }
      this.expect(',');
    }
  }

  private expect(character: string): void {
    if (this.text[this.offset] !== character) {
      this.fail();
    }
    this.offset++;
  }

  private string(): void {
    this.expect('"');
    while (this.offset < this.text.length) {
      const next = this.text[this.offset];
      if (next === '"') {
        this.offset++;
        return;
      }
      if (next === '\\') {
        this.match(ESCAPE);
      } else if (next < ' ') {
        this.fail();
      } else {
        this.offset++;
      }
    }
    this.fail();
  }

  private literal(): void {
    this.match(LITERAL);
  }

  private match(pattern: RegExp): void {
    pattern.lastIndex = this.offset;
    const found = pattern.exec(this.text);
    if (found === null) {
      this.fail();
    }
    this.offset += found[0].length;
  }
}
