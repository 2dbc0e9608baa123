import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";

/**
 * The installation's own organization: the sender of the emails Thrive-Send sends to people
 * (invitations, password resets, verifications). Attributed to it, they never count against a
 * customer's quota, rates or reputation, never show in a customer's emails or webhooks, and an
 * organization whose sending is paused still gets its invitations and resets out. Nobody can
 * sign in to it or hold a key of it.
 */
export const SYSTEM_ORG_ID = "00000000-0000-7000-8000-000000000001";

export async function ensureSystemOrganization(db: Pick<Db, "execute">): Promise<void> {
  await db.execute(sql`
    insert into organizations (id, name) values (${SYSTEM_ORG_ID}, 'Thrive-Send system')
    on conflict (id) do nothing`);
}
