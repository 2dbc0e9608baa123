import { isDeepStrictEqual } from "node:util";

/**
 * The `fields` whose value differs between `before` and `after`, as `{ field: { from, to } }`
 * for an `*.updated` audit entry; null when none changed. The caller picks the fields: never
 * one that holds a secret.
 */
export function changedFields<T extends object, K extends keyof T & string>(
  before: T,
  after: T,
  fields: readonly K[],
): Record<string, { from: unknown; to: unknown }> | null {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    if (!isDeepStrictEqual(before[field], after[field])) {
      changes[field] = { from: before[field], to: after[field] };
    }
  }
  return Object.keys(changes).length > 0 ? changes : null;
}
