/**
 * Bounds of time filters, brought into what the database can compare. Everything is recorded
 * after 1970, so an earlier bound means the same as 1970; and an earlier one may not reach
 * PostgreSQL at all: it has no year 0 (a query with one fails), and JavaScript reads years
 * below 100 back as 19xx.
 */
const EPOCH_DAY = "1970-01-01";

export function sinceEpoch(bound: Date): Date;
export function sinceEpoch(bound: Date | undefined): Date | undefined;
export function sinceEpoch(bound: Date | undefined): Date | undefined {
  return bound && bound.getTime() < 0 ? new Date(0) : bound;
}

/** The same for a UTC day, `YYYY-MM-DD`. */
export function daySinceEpoch(day: string): string {
  return day < EPOCH_DAY ? EPOCH_DAY : day;
}
