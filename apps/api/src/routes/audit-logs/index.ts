import type { App } from "../../lib/app-env.ts";
import { registerAuditLogsExport } from "./audit-logs.export.ts";
import { registerAuditLogsList } from "./audit-logs.list.ts";

export function registerAuditLogRoutes(app: App): void {
  // Before the list: /audit-logs/export is a path of its own, not an entry.
  registerAuditLogsExport(app);
  registerAuditLogsList(app);
}
