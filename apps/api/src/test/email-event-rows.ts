import type { Db } from "../db/client.ts";
import { type EmailEventType, type EmailTag, emailEvents, emails } from "../db/schema/index.ts";
import { newId } from "../lib/ids.ts";
import { idAt } from "./reputation-events.ts";

/** An email row of `orgId`, as the accept path writes it (what event payloads read). */
export async function insertEmail(
  db: Db,
  orgId: string,
  fields: { tags?: EmailTag[]; domainId?: string; subject?: string; to?: string[] } = {},
): Promise<string> {
  const id = newId();
  await db.insert(emails).values({
    id,
    orgId,
    domainId: fields.domainId ?? null,
    from: "Acme <onboarding@acme.dev>",
    to: fields.to ?? ["delivered@example.com"],
    subject: fields.subject ?? "Welcome",
    text: "Hello",
    tags: fields.tags ?? [],
    messageId: `<${id}@acme.dev>`,
    status: "delivered",
    lastEvent: "delivered",
  });
  return id;
}

export interface EventSpec {
  orgId: string;
  emailId: string;
  type: EmailEventType;
  /** When it happened (its id's time and created_at); now when absent. */
  at?: number;
  details?: Record<string, unknown>;
}

/** Email events in one statement; returns their ids in the order given. */
export async function insertEvents(db: Db, specs: EventSpec[]): Promise<string[]> {
  const rows = specs.map((spec) => {
    const at = spec.at ?? Date.now();
    return {
      // newId() is monotonic within the process: rows made together keep their order.
      id: spec.at === undefined ? newId() : idAt(at),
      orgId: spec.orgId,
      emailId: spec.emailId,
      type: spec.type,
      details: spec.details ?? null,
      createdAt: new Date(at),
    };
  });
  if (rows.length > 0) await db.insert(emailEvents).values(rows);
  return rows.map((row) => row.id);
}
