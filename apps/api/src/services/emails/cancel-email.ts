import { emailSendJobKey } from "../../jobs/catalog.ts";
import { removeJob } from "../../jobs/enqueue.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ServiceContext } from "../context.ts";
import { changeEmailState } from "./change-state.ts";

/** Emails not yet handed to a server. A job that wakes for a canceled email does nothing. */
const CANCELABLE = ["scheduled", "queued", "delivery_delayed"] as const;

export async function cancelEmail({
  ctx,
  id,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId" | "audit">;
  id: string;
}): Promise<{ object: "email"; id: string }> {
  await ctx.db.transaction(async (tx) => {
    await changeEmailState(tx, {
      orgId: ctx.orgId,
      id,
      operation: "canceled",
      allowed: CANCELABLE,
      status: "canceled",
      now: new Date(),
    });
    await removeJob(tx, emailSendJobKey(id));
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "email.canceled",
      target: { type: "email", id },
    });
  });
  return { object: "email", id };
}
