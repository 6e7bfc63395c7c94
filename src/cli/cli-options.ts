import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface ParsedOptions {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * Parses command-line options with node:util parseArgs. `--help` prints `usage` and exits 0;
 * an unknown option or a missing value prints the problem and `usage` and exits 2.
 */
export function parseCliOptions(
  options: Options,
  usage: string,
  args = process.argv.slice(2),
): ParsedOptions {
  try {
    const parsed = parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', default: false } },
      allowPositionals: true,
      strict: true,
    });
    if (parsed.values.help === true) {
      console.log(usage);
      process.exit(0);
    }
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** Reads a whole number option of at least `min`, or prints why it is invalid and exits 2. */
export function readWholeNumber(
  value: unknown,
  option: string,
  min: number,
  usage: string,
): number {
  const number = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(number) || number < min) {
    console.error(
      `Invalid ${option} "${String(value)}": use a whole number of at least ${min}.\n\n${usage}`,
    );
    process.exit(2);
  }
  return number;
}
