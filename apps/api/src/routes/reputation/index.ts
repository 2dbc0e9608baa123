import type { App } from "../../lib/app-env.ts";
import { registerReputationGet } from "./reputation.get.ts";
import { registerReputationResume } from "./reputation.resume.ts";

export function registerReputationRoutes(app: App): void {
  registerReputationGet(app);
  registerReputationResume(app);
}
