import { Template } from 'adaptivecards-templating';
import { formatChildPath, isJsonObject } from './json-path';

/**
 * Key of the marker put on every template object before expansion. adaptivecards-templating
 * copies unknown keys into each object it outputs, so the marker survives repetition by `$data`
 * and records which template object each output object came from.
 */
const ORIGIN_KEY = '__templateOrigin';

/** A template expanded with data, and where each part of the output came from. */
export interface TracedExpansion {
  /** The expansion output, normally one card object, free of origin markers. */
  output: unknown;
  /** Template path of every value in the output, keyed by its output path (`$.body[3].text`). */
  templatePaths: Map<string, string>;
}

/**
 * Expands `template` with `data` as `$root`, exactly as the renderer does, and traces each output
 * value back to the template. Throws what the templating library throws.
 */
export function expandTraced(template: unknown, data: unknown): TracedExpansion {
  const origins: string[] = [];
  const marked = markOrigins(template, '$', origins);
  const expanded: unknown = new Template(marked).expand({ $root: data });
  const templatePaths = new Map<string, string>();
  const output = unmarkOrigins(expanded, '$', '$', origins, templatePaths);
  return { output, templatePaths };
}

/** Returns the template path for `outputPath`, falling back to the output path itself. */
export function templatePathOf(expansion: TracedExpansion, outputPath: string): string {
  return expansion.templatePaths.get(outputPath) ?? outputPath;
}

function markOrigins(node: unknown, path: string, origins: string[]): unknown {
  if (Array.isArray(node)) {
    return node.map((item, index) => markOrigins(item, formatChildPath(path, index), origins));
  }
  if (!isJsonObject(node)) {
    return node;
  }
  const marked: Record<string, unknown> = { [ORIGIN_KEY]: origins.length };
  origins.push(path);
  for (const [key, child] of Object.entries(node)) {
    // Inline `$data` values are data, not card parts, so they stay unmarked.
    marked[key] = key === '$data' ? child : markOrigins(child, formatChildPath(path, key), origins);
  }
  return marked;
}

function unmarkOrigins(
  node: unknown,
  outputPath: string,
  templatePath: string,
  origins: string[],
  templatePaths: Map<string, string>,
): unknown {
  if (isJsonObject(node) && typeof node[ORIGIN_KEY] === 'number') {
    templatePath = origins[node[ORIGIN_KEY]] ?? templatePath;
  }
  templatePaths.set(outputPath, templatePath);
  if (Array.isArray(node)) {
    return node.map((item, index) =>
      unmarkOrigins(
        item,
        formatChildPath(outputPath, index),
        formatChildPath(templatePath, index),
        origins,
        templatePaths,
      ),
    );
  }
  if (!isJsonObject(node)) {
    return node;
  }
  const clean: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (key !== ORIGIN_KEY) {
      clean[key] = unmarkOrigins(
        child,
        formatChildPath(outputPath, key),
        formatChildPath(templatePath, key),
        origins,
        templatePaths,
      );
    }
  }
  return clean;
}
