// The SDKs' names for the API's: camelCase options in TypeScript, snake_case in Python.

/** `scheduled_at` → `scheduledAt`, `last-event-id` → `lastEventId`. */
export function camelCase(name: string): string {
  return name.replace(/[-_]([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `apiKeys` → `api_keys`, `last-event-id` → `last_event_id`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replaceAll("-", "_");
}

/** A header as an SDK option: `x-batch-validation` → `batch-validation`. */
export function headerOption(header: string): string {
  return header.toLowerCase().replace(/^x-/, "");
}

/** `idempotency-key` → `Idempotency-Key`. */
export function headerDisplayName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

/** `EmailList` → `emailList` (TypeScript) or `email_list` (Python). */
export function variableName(schemaName: string, language: "typescript" | "python"): string {
  const lower = schemaName.charAt(0).toLowerCase() + schemaName.slice(1);
  return language === "python" ? snakeCase(lower) : lower;
}
