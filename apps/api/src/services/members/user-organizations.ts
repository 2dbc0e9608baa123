import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { memberships, organizations } from "../../db/schema/index.ts";

/** The organizations a user belongs to (not deleted ones), oldest membership first. */
export async function userOrganizations(db: Pick<Db, "select">, userId: string) {
  return db
    .select({ id: organizations.id, name: organizations.name, role: memberships.role })
    .from(memberships)
    .innerJoin(
      organizations,
      and(eq(organizations.id, memberships.orgId), isNull(organizations.deletedAt)),
    )
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.id));
}
