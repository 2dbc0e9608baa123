import { uuidv7 } from "uuidv7";

/** Time-ordered UUIDv7: ids sort by creation, so cursor pagination and indexes stay cheap. */
export function newId(): string {
  return uuidv7();
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
