export * from "./api-keys.ts";
export * from "./domains.ts";
export * from "./emails.ts";
export * from "./events.ts";
export * from "./idempotency.ts";
export * from "./organizations.ts";
export * from "./suppressions.ts";
export * from "./workers.ts";
