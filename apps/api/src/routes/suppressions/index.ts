import type { App } from "../../lib/app-env.ts";
import { registerSuppressionsAdd } from "./suppressions.add.ts";
import { registerSuppressionsBatchAdd } from "./suppressions.batch-add.ts";
import { registerSuppressionsBatchRemove } from "./suppressions.batch-remove.ts";
import { registerSuppressionsGet } from "./suppressions.get.ts";
import { registerSuppressionsList } from "./suppressions.list.ts";
import { registerSuppressionsRemove } from "./suppressions.remove.ts";

export function registerSuppressionRoutes(app: App): void {
  // The batch paths first: `/suppressions/batch/add` is not an id or address.
  registerSuppressionsBatchAdd(app);
  registerSuppressionsBatchRemove(app);
  registerSuppressionsAdd(app);
  registerSuppressionsList(app);
  registerSuppressionsGet(app);
  registerSuppressionsRemove(app);
}
