import { and, eq } from "drizzle-orm";
import { providers } from "../../db/schema/index.ts";
import { notFound, validationError } from "../../lib/errors.ts";
import { recordAudit } from "../audit/record-audit.ts";
import { nameTaken } from "./create-provider.ts";
import type { ProviderContext } from "./provider-context.ts";
import { checkProviderHost } from "./provider-host.ts";
import { openSettings, type ProviderSettings, sealSettings } from "./provider-settings.ts";
import { providerView } from "./provider-view.ts";
import { isUniqueViolation } from "./unique-violation.ts";

/** A field given as null is removed (credentials, the configuration set); omitted, kept. */
type Patch<T> = { [K in keyof T]?: T[K] | null | undefined };

export interface UpdateProviderInput {
  name?: string | undefined;
  priority?: number | undefined;
  rate_per_second?: number | null | undefined;
  enabled?: boolean | undefined;
  smtp?: Patch<Omit<Extract<ProviderSettings, { type: "smtp" }>, "type">> | undefined;
  ses?: Patch<Omit<Extract<ProviderSettings, { type: "ses" }>, "type">> | undefined;
}

/**
 * Changes a provider. Settings are merged into the stored ones, so a new password does not
 * need the host again, nor a new host the password (which the API never shows).
 */
export async function updateProvider({
  ctx,
  id,
  input,
}: {
  ctx: ProviderContext;
  id: string;
  input: UpdateProviderInput;
}) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(providers)
      .where(and(eq(providers.id, id), eq(providers.orgId, ctx.orgId)))
      .for("update");
    if (!row) throw notFound("Provider");

    let config = row.config;
    const kind = input.smtp ? "smtp" : input.ses ? "ses" : null;
    if (kind) {
      if (kind !== row.type) {
        throw validationError(`This is an ${row.type} provider`, [
          { path: kind, message: `only \`${row.type}\` settings apply to this provider` },
        ]);
      }
      const settings = merge(openSettings(ctx.secrets, row.config), input.smtp ?? input.ses ?? {});
      if (settings.type === "smtp" && settings.password && !settings.username) {
        throw validationError("A password needs a user name", [
          { path: "smtp.username", message: "is required with a password" },
        ]);
      }
      checkProviderHost(settings, ctx.allowedNetworks);
      config = sealSettings(ctx.secrets, settings);
    }

    try {
      const [updated] = await tx
        .update(providers)
        .set({
          ...(input.name === undefined ? {} : { name: input.name }),
          ...(input.priority === undefined ? {} : { priority: input.priority }),
          ...(input.rate_per_second === undefined ? {} : { ratePerSecond: input.rate_per_second }),
          ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
          config,
          updatedAt: new Date(),
        })
        .where(eq(providers.id, row.id))
        .returning();
      if (!updated) throw notFound("Provider");
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "provider.updated",
        target: { type: "provider", id: updated.id },
        // Which settings changed, never their values: they hold credentials.
        details: { name: updated.name, changed: changedFields(input) },
      });
      return providerView(updated, ctx.secrets);
    } catch (error) {
      if (input.name !== undefined && isUniqueViolation(error)) throw nameTaken(input.name);
      throw error;
    }
  });
}

function changedFields(input: UpdateProviderInput): string[] {
  return Object.entries(input).flatMap(([key, value]) => {
    if (value === undefined) return [];
    if ((key === "smtp" || key === "ses") && value) {
      return Object.keys(value).map((field) => `${key}.${field}`);
    }
    return [key];
  });
}

function merge(settings: ProviderSettings, patch: Record<string, unknown>): ProviderSettings {
  const merged: Record<string, unknown> = { ...settings };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as unknown as ProviderSettings;
}
