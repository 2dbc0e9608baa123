/** Whether a failed statement broke a unique index (PostgreSQL 23505), through drizzle's wrapper. */
export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if ((current as Error & { code?: string }).code === "23505") return true;
  }
  return false;
}
