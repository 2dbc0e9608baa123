import type { App } from "../../lib/app-env.ts";
import { registerUsageGet } from "./usage.get.ts";

export function registerUsageRoutes(app: App): void {
  registerUsageGet(app);
}
