import type { Db } from "../../db/client.ts";
import { emailEvents, emails } from "../../db/schema/index.ts";
import { jobSpec } from "../../jobs/catalog.ts";
import { addJobs } from "../../jobs/enqueue.ts";
import { bareAddress, domainOf } from "../../lib/address.ts";
import { newId } from "../../lib/ids.ts";
import { ensureSystemOrganization, SYSTEM_ORG_ID } from "./system-organization.ts";

export interface SystemEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface SystemMailSettings {
  /** SYSTEM_EMAIL_FROM. */
  from: string;
  maxAttempts: number;
}

type Executor = Pick<Db, "insert" | "execute">;

/**
 * Queues an email from the system sender on the caller's transaction: its row, its `queued`
 * event and its email_send job commit with the invitation or token it carries, or not at all.
 * From there it goes through the same worker, providers, retries and bounce handling as any
 * email (services/emails), only attributed to the system organization.
 */
export async function sendSystemEmail(
  tx: Executor,
  settings: SystemMailSettings,
  email: SystemEmail,
  now: Date = new Date(),
): Promise<string> {
  await ensureSystemOrganization(tx);
  const id = newId();
  await tx.insert(emails).values({
    id,
    orgId: SYSTEM_ORG_ID,
    domainId: null,
    apiKeyId: null,
    from: settings.from,
    to: [email.to],
    subject: email.subject,
    html: email.html,
    text: email.text,
    tags: [{ name: "category", value: "system" }],
    messageId: `<${id}@${domainOf(bareAddress(settings.from))}>`,
    status: "queued",
    lastEvent: "queued",
    createdAt: now,
    updatedAt: now,
  });
  await tx.insert(emailEvents).values({
    id: newId(),
    orgId: SYSTEM_ORG_ID,
    emailId: id,
    type: "queued",
    createdAt: now,
  });
  await addJobs(tx, [
    jobSpec(
      "email_send",
      { org_id: SYSTEM_ORG_ID, email_ids: [id] },
      { maxAttempts: settings.maxAttempts },
    ),
  ]);
  return id;
}
