import type { providers } from "../../db/schema/index.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { openSettings, publicSettings } from "./provider-settings.ts";

export type ProviderRow = typeof providers.$inferSelect;

/** A provider as the API shows it: its settings without credentials (write-only). */
export function providerView(row: ProviderRow, secrets: SecretBox) {
  return {
    object: "provider" as const,
    id: row.id,
    name: row.name,
    type: row.type,
    priority: row.priority,
    rate_per_second: row.ratePerSecond,
    enabled: row.enabled,
    ...publicSettings(openSettings(secrets, row.config)),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
