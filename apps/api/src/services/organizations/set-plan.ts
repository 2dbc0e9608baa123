import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { organizations, PLANS, type Plan } from "../../db/schema/index.ts";
import { recordAudit, SYSTEM_ORIGIN } from "../audit/record-audit.ts";

export function isPlan(value: string): value is Plan {
  return (PLANS as readonly string[]).includes(value);
}

/**
 * Moves an organization to another plan (its send quotas: PLAN_<PLAN>_DAILY_EMAILS...). An
 * operator's act, not a customer's: there is no route for it, only `pnpm org:plan`. The API
 * processes see the new plan within the quota gate's plan cache (a minute). Answers the
 * previous plan, or null when no live organization has that id.
 */
export async function setOrganizationPlan(
  db: Db,
  orgId: string,
  plan: Plan,
): Promise<{ previous: Plan } | null> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ plan: organizations.plan })
      .from(organizations)
      .where(and(eq(organizations.id, orgId), isNull(organizations.deletedAt)))
      .for("update");
    if (!current) return null;
    if (current.plan !== plan) {
      await tx
        .update(organizations)
        .set({ plan, updatedAt: new Date() })
        .where(eq(organizations.id, orgId));
      await recordAudit(tx, SYSTEM_ORIGIN, {
        orgId,
        action: "organization.plan_changed",
        target: { type: "organization", id: orgId },
        details: { from: current.plan, to: plan },
      });
    }
    return { previous: current.plan };
  });
}
