import type { domains, organizations } from "../../db/schema/index.ts";
import { domainSummary } from "../domains/domain-view.ts";
import { domainRecords, type RecordConfig } from "../domains/records.ts";

interface Pausable {
  sendingPausedAt: Date | null;
  sendingPausedReason: string | null;
}

export function sendingState(row: Pausable) {
  return {
    sending_paused_at: row.sendingPausedAt?.toISOString() ?? null,
    sending_paused_reason: row.sendingPausedReason,
  };
}

/** `domain.updated` after a pause or resume: the domain as GET shows it, with its sending state. */
export function domainEventData(
  row: typeof domains.$inferSelect,
  config: RecordConfig,
  extra: Record<string, unknown> = {},
) {
  return { ...domainSummary(row, domainRecords(row, config)), ...sendingState(row), ...extra };
}

export function organizationEventData(
  row: typeof organizations.$inferSelect,
  extra: Record<string, unknown> = {},
) {
  return { object: "organization", id: row.id, name: row.name, ...sendingState(row), ...extra };
}
