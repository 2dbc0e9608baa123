import type { operations } from "./generated/openapi.ts";

/**
 * Each operationId of openapi/openapi.json and the SDK method that calls it, as a path from
 * the client (`"webhooks.events.attempts.list"` is `thrive.webhooks.events.attempts.list`).
 * A test fails when the spec has an operation this map lacks, or a method here does not exist
 * or is never called by the tests.
 */
export const operationMethods = {
  getHealth: "system.health",
  getReadiness: "system.ready",
  sendEmail: "emails.send",
  sendEmailBatch: "batch.send",
  listEmails: "emails.list",
  getEmail: "emails.get",
  updateEmail: "emails.update",
  cancelEmail: "emails.cancel",
  createApiKey: "apiKeys.create",
  listApiKeys: "apiKeys.list",
  deleteApiKey: "apiKeys.remove",
  createDomain: "domains.create",
  listDomains: "domains.list",
  getDomain: "domains.get",
  updateDomain: "domains.update",
  deleteDomain: "domains.remove",
  verifyDomain: "domains.verify",
  addSuppression: "suppressions.add",
  listSuppressions: "suppressions.list",
  getSuppression: "suppressions.get",
  removeSuppression: "suppressions.remove",
  batchAddSuppressions: "suppressions.batch.add",
  batchRemoveSuppressions: "suppressions.batch.remove",
  getReputation: "reputation.get",
  resumeSending: "reputation.resume",
  createProvider: "providers.create",
  listProviders: "providers.list",
  getProvider: "providers.get",
  updateProvider: "providers.update",
  deleteProvider: "providers.remove",
  createWebhook: "webhooks.create",
  listWebhooks: "webhooks.list",
  getWebhook: "webhooks.get",
  updateWebhook: "webhooks.update",
  deleteWebhook: "webhooks.remove",
  rotateWebhookSigningSecret: "webhooks.rotateSigningSecret",
  sendWebhookTestEvent: "webhooks.test",
  listWebhookEvents: "webhooks.events.list",
  getWebhookEvent: "webhooks.events.get",
  listWebhookEventAttempts: "webhooks.events.attempts.list",
  replayWebhookEvent: "webhooks.events.replay",
  listEvents: "events.list",
  exportEvents: "events.export",
  streamEvents: "events.stream",
  // Keys must be operationIds of the generated types (a misspelt one does not compile); that
  // none is missing is the test's job, as `operations` also holds the `webhooks` section's.
} as const satisfies Partial<Record<keyof operations, string>>;

export type OperationId = keyof typeof operationMethods;
