import type { App } from "../../lib/app-env.ts";
import { registerWebhookEventsAttempts } from "./webhook-events.attempts.ts";
import { registerWebhookEventsGet } from "./webhook-events.get.ts";
import { registerWebhookEventsList } from "./webhook-events.list.ts";
import { registerWebhookEventsReplay } from "./webhook-events.replay.ts";
import { registerWebhooksCreate } from "./webhooks.create.ts";
import { registerWebhooksDelete } from "./webhooks.delete.ts";
import { registerWebhooksGet } from "./webhooks.get.ts";
import { registerWebhooksList } from "./webhooks.list.ts";
import { registerWebhooksRotateSecret } from "./webhooks.rotate-secret.ts";
import { registerWebhooksTestEvent } from "./webhooks.send-test.ts";
import { registerWebhooksUpdate } from "./webhooks.update.ts";

export function registerWebhookRoutes(app: App): void {
  registerWebhooksCreate(app);
  registerWebhooksList(app);
  registerWebhooksGet(app);
  registerWebhooksUpdate(app);
  registerWebhooksDelete(app);
  registerWebhooksRotateSecret(app);
  registerWebhooksTestEvent(app);
  registerWebhookEventsList(app);
  registerWebhookEventsGet(app);
  registerWebhookEventsAttempts(app);
  registerWebhookEventsReplay(app);
}
