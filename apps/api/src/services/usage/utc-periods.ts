/** `YYYY-MM-DD` of the UTC day `at` falls in. */
export function utcDayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The next UTC midnight after `at`. */
export function nextUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1));
}

/** The first instant of the next UTC month after `at`. */
export function nextUtcMonth(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
}
