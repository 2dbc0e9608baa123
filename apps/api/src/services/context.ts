import type { Db } from "../db/client.ts";
import type { AuditOrigin } from "./audit/record-audit.ts";
import type { SenderPolicy } from "./domains/sending-domains.ts";
import type { EmailWriter } from "./emails/email-writer.ts";
import type { QuotaGate } from "./usage/quota-gate.ts";
import type { UsageMeter } from "./usage/usage-meter.ts";

/** What a service needs to act for one organization. Built by the HTTP layer per request. */
export interface ServiceContext {
  db: Db;
  orgId: string;
  /** The API key acting, when the caller is one. */
  apiKeyId: string | null;
  /** The one domain the API key may send from, when it is limited to one. */
  apiKeyDomainId: string | null;
  emailWriter: EmailWriter;
  emailMaxAttempts: number;
  senders: SenderPolicy;
  /** Who acts and from where, for the audit entries of the mutations. */
  audit: AuditOrigin;
  /** The organization's send quotas, taken when emails are accepted. */
  quota: QuotaGate;
  /** Counts the accepted emails for GET /usage. */
  usage: UsageMeter;
}
