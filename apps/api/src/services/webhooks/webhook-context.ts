import type { Db } from "../../db/client.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import type { AuditOrigin } from "../audit/record-audit.ts";

/** What the webhook operations need to act for one organization. */
export interface WebhookContext {
  db: Db;
  orgId: string;
  /** Seals and opens the signing secrets. */
  secrets: SecretBox;
  /** Networks an endpoint may be on although not public (config.ssrfAllowList). */
  ssrfAllowList: readonly string[];
  /** Who acts and from where, for the audit entries. */
  audit: AuditOrigin;
}
