import type { Db } from "../../db/client.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { AuditOrigin } from "../audit/record-audit.ts";

/** What the provider operations need to act for one organization. */
export interface ProviderContext {
  db: Db;
  orgId: string;
  /** Seals and opens the providers' settings (credentials included). */
  secrets: SecretBox;
  /** Networks an SMTP host may be on although not public (config.providerAllowedNetworks). */
  allowedNetworks: readonly string[];
  /** Who acts and from where, for the audit entries. */
  audit: AuditOrigin;
}
