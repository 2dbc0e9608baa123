/**
 * UUIDv7 ids begin with their creation time in milliseconds (RFC 9562), so a time bound on
 * rows with such ids becomes a bound on the primary key or on an (org_id, id) index: a range
 * scan instead of a filter on an unindexed created_at.
 */

/** The smallest UUIDv7 of millisecond `ms`: every id made before `ms` sorts below it. */
export function uuidv7Floor(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}

/** The millisecond a UUIDv7 was made at. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

export interface IdRange {
  /** Ids at or above this one. */
  from?: string;
  /** Ids below this one. */
  below?: string;
}

/**
 * The ids of rows created in `[after, before)`, widened by `slackMs` on both sides: a row's id
 * and its created_at are taken a moment apart (the id first, then the batch it waits in is
 * written), so the caller keeps its exact created_at condition and uses this range to find
 * the rows fast. Rows whose id and created_at are further apart than `slackMs` are missed.
 */
export function idRangeForTimes(
  times: { after?: Date | undefined; before?: Date | undefined },
  slackMs: number,
): IdRange {
  const range: IdRange = {};
  if (times.after) range.from = uuidv7Floor(times.after.getTime() - slackMs);
  if (times.before) range.below = uuidv7Floor(times.before.getTime() + slackMs + 1);
  return range;
}
