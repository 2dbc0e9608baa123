export * from "./api-keys.ts";
export * from "./emails.ts";
export * from "./idempotency.ts";
export * from "./organizations.ts";
export * from "./workers.ts";
