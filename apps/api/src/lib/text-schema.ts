import { z } from "@hono/zod-openapi";

/**
 * What String.prototype.trim() (and so zod's .trim()) removes, as the body of a regex class:
 * the spec's patterns of trimmed fields allow it around the value, as the API does.
 */
const TRIMMED = String.raw`\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff`;

/** A pattern for a field trimmed before it is checked: `core` (a regex body), white space around. */
export function trimmedPattern(core: string): string {
  return `^[${TRIMMED}]*(?:${core})[${TRIMMED}]*$`;
}

/**
 * A name: trimmed, then not blank. Its length is checked before trimming, so that the spec's
 * `maxLength` and pattern (some character trim() keeps) say exactly what is accepted.
 */
export function nameText(maxLength: number) {
  return z
    .string()
    .max(maxLength)
    .trim()
    .min(1)
    .openapi({ pattern: `[^${TRIMMED}]` });
}
