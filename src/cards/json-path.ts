/** A JSON object, as parsed from a template or produced by expanding one. */
export type JsonObject = Record<string, unknown>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Returns true for a JSON object, false for arrays, null and scalars. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Appends an array index or an object key to a JSON path such as `$.body[2]`. Keys that are not
 * identifiers are written in bracket notation: `$['odd key']`.
 */
export function formatChildPath(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** Calls `visit` for every value under `root`, depth first, parents before children. */
export function walkJson(
  root: unknown,
  visit: (value: unknown, path: string) => void,
  path = '$',
): void {
  visit(root, path);
  if (Array.isArray(root)) {
    root.forEach((item, index) => walkJson(item, visit, formatChildPath(path, index)));
  } else if (isJsonObject(root)) {
    for (const [key, child] of Object.entries(root)) {
      walkJson(child, visit, formatChildPath(path, key));
    }
  }
}
