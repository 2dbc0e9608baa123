import type { App } from "../../lib/app-env.ts";
import { registerEventsExport } from "./events.export.ts";
import { registerEventsList } from "./events.list.ts";
import { registerEventsStream } from "./events.stream.ts";
import { registerWebhookCatalog } from "./webhook-catalog.ts";

export function registerEventRoutes(app: App): void {
  registerEventsList(app);
  registerEventsExport(app);
  registerEventsStream(app);
  registerWebhookCatalog(app);
}
