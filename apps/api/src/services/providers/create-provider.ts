import { providers } from "../../db/schema/index.ts";
import { validationError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ProviderContext } from "./provider-context.ts";
import { checkProviderHost } from "./provider-host.ts";
import {
  type ProviderSettings,
  type SesProviderSettings,
  type SmtpProviderSettings,
  sealSettings,
} from "./provider-settings.ts";
import { providerView } from "./provider-view.ts";

interface CommonInput {
  name: string;
  priority: number;
  rate_per_second: number | null;
  enabled: boolean;
}

export type CreateProviderInput =
  | (CommonInput & { type: "smtp"; smtp: Omit<SmtpProviderSettings, "type"> })
  | (CommonInput & { type: "ses"; ses: Omit<SesProviderSettings, "type"> });

export function settingsOf(input: CreateProviderInput): ProviderSettings {
  return input.type === "smtp" ? { type: "smtp", ...input.smtp } : { type: "ses", ...input.ses };
}

export const nameTaken = (name: string) =>
  validationError(`A provider named ${name} already exists`, [
    { path: "name", message: "already used by another provider of this organization" },
  ]);

/** Adds a provider of the organization's own; its settings are sealed at rest. */
export async function createProvider({
  ctx,
  input,
}: {
  ctx: ProviderContext;
  input: CreateProviderInput;
}) {
  const settings = settingsOf(input);
  checkProviderHost(settings, ctx.allowedNetworks);
  const now = new Date();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(providers)
      .values({
        id: newId(),
        orgId: ctx.orgId,
        name: input.name,
        type: input.type,
        config: sealSettings(ctx.secrets, settings),
        priority: input.priority,
        ratePerSecond: input.rate_per_second,
        enabled: input.enabled,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoNothing({ target: [providers.orgId, providers.name] })
      .returning();
    if (!row) throw nameTaken(input.name);
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "provider.created",
      target: { type: "provider", id: row.id },
      details: { name: row.name, type: row.type, enabled: row.enabled },
    });
    return providerView(row, ctx.secrets);
  });
}
