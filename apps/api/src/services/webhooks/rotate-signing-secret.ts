import { and, eq, sql } from "drizzle-orm";
import { webhookEndpoints } from "../../db/schema/index.ts";
import { notFound } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { generateSigningSecret, PREVIOUS_SECRET_TTL_MS } from "./signing-secret.ts";
import type { WebhookContext } from "./webhook-context.ts";

/**
 * A new signing secret. The current one becomes the previous one and keeps signing beside it
 * (two `v1,` signatures) for 24 hours, so receivers can switch without refusing a message; a
 * secret older than that, from an earlier rotation, is dropped at once.
 */
export async function rotateSigningSecret({ ctx, id }: { ctx: WebhookContext; id: string }) {
  const secret = generateSigningSecret();
  const now = new Date();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        // The column's value before the update: the swap is one statement, with no race.
        previousSecret: sql`${webhookEndpoints.secret}`,
        previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS),
        secret: ctx.secrets.seal(secret),
        updatedAt: now,
      })
      .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.orgId, ctx.orgId)))
      .returning({ id: webhookEndpoints.id });
    if (!row) throw notFound("Webhook");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "webhook.secret_rotated",
      target: { type: "webhook", id: row.id },
    });
    return { object: "webhook" as const, id: row.id, signing_secret: secret };
  });
}
