import type { App } from "../../lib/app-env.ts";
import { registerEmailsBatch } from "./emails.batch.ts";
import { registerEmailsCancel } from "./emails.cancel.ts";
import { registerEmailsGet } from "./emails.get.ts";
import { registerEmailsList } from "./emails.list.ts";
import { registerEmailsSend } from "./emails.send.ts";
import { registerEmailsUpdate } from "./emails.update.ts";

export function registerEmailRoutes(app: App): void {
  // /emails/batch before /emails/{id}: static paths first.
  registerEmailsBatch(app);
  registerEmailsSend(app);
  registerEmailsList(app);
  registerEmailsGet(app);
  registerEmailsUpdate(app);
  registerEmailsCancel(app);
}
