import { and, isNotNull, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { organizations } from "../../db/schema/index.ts";
import { uuidv7Floor } from "../../lib/id-time.ts";
import { deleteInChunks, type PurgeOptions } from "./purge-organization.ts";

/** Emails still on their way are kept whatever their age (a send scheduled months ahead). */
const UNSETTLED = sql.raw(`('scheduled', 'queued', 'sending', 'delivery_delayed')`);

/**
 * Deletes what organizations with a data retention (PATCH /organization) keep past it: emails
 * (and their attachments), email events, events, webhook deliveries and attempts. Ids are
 * UUIDv7, so "older than" is an id range on each table's (org_id, id) index.
 */
export async function applyRetention(
  db: Pick<Db, "execute" | "select">,
  now: Date,
  options: PurgeOptions = {},
): Promise<Record<string, number>> {
  const orgs = await db
    .select({ id: organizations.id, days: organizations.dataRetentionDays })
    .from(organizations)
    .where(and(isNotNull(organizations.dataRetentionDays), isNull(organizations.deletedAt)));
  const deleted: Record<string, number> = {};
  const count = (table: string, n: number) => {
    deleted[table] = (deleted[table] ?? 0) + n;
  };
  for (const org of orgs) {
    const before = uuidv7Floor(now.getTime() - (org.days ?? 0) * 86_400_000);
    const old = sql`org_id = ${org.id} and id < ${before}::uuid`;
    const oldEmails = sql`org_id = ${org.id} and email_id in (
      select id from emails where org_id = ${org.id} and id < ${before}::uuid and status not in ${UNSETTLED})`;
    count("email_attachments", await deleteInChunks(db, "email_attachments", oldEmails, options));
    count("email_events", await deleteInChunks(db, "email_events", old, options));
    count(
      "emails",
      await deleteInChunks(db, "emails", sql`${old} and status not in ${UNSETTLED}`, options),
    );
    count("webhook_attempts", await deleteInChunks(db, "webhook_attempts", old, options));
    count(
      "webhook_deliveries",
      await deleteInChunks(
        db,
        "webhook_deliveries",
        sql`${old} and status in ('success', 'failed')`,
        options,
      ),
    );
    count("events", await deleteInChunks(db, "events", old, options));
  }
  return deleted;
}

/** Sign-in leftovers: sessions, links and lockout counters nobody can use any more. */
export async function pruneIdentity(db: Pick<Db, "execute">, now: Date): Promise<void> {
  const day = sql`${now.toISOString()}::timestamptz - interval '1 day'`;
  await deleteInChunks(
    db,
    "sessions",
    sql`revoked_at < ${day} or idle_expires_at < ${day} or absolute_expires_at < ${day}`,
  );
  await deleteInChunks(db, "user_tokens", sql`expires_at < ${day}`);
  await deleteInChunks(
    db,
    "login_throttles",
    sql`last_failure_at < ${day} and (locked_until is null or locked_until < ${day})`,
  );
}
