import { uuidv7 } from "uuidv7";

/** Time-ordered UUIDv7: ids sort by creation, so cursor pagination and indexes stay cheap. */
export function newId(): string {
  return uuidv7();
}
