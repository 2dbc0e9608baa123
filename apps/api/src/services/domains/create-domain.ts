import { domains } from "../../db/schema/index.ts";
import { AppError } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { recordAudit } from "../audit/record-audit.ts";
import type { ServiceContext } from "../context.ts";
import { recordEvent } from "../events/record-event.ts";
import { trackingDefaults } from "../organizations/organization-settings.ts";
import { generateDkimKey } from "./dkim-key.ts";
import { domainSummary } from "./domain-view.ts";
import { domainRecords, type RecordConfig } from "./records.ts";

export interface CreateDomainInput {
  name: string;
  region: (typeof domains.$inferInsert)["region"];
  custom_return_path: string;
  tracking_subdomain: string;
  /** Absent: the organization's default (PATCH /organization). */
  open_tracking?: boolean | undefined;
  click_tracking?: boolean | undefined;
  tls: "opportunistic" | "enforced";
}

/**
 * Adds a sending domain: its DKIM key pair (the private key sealed at rest) and the records to
 * publish. Nothing is verified yet (`not_started`); POST /domains/{id}/verify starts checking.
 */
export async function createDomain({
  ctx,
  input,
}: {
  ctx: Pick<ServiceContext, "db" | "orgId" | "audit"> & {
    secrets: SecretBox;
    config: RecordConfig;
  };
  input: CreateDomainInput;
}) {
  const [key, defaults] = await Promise.all([
    generateDkimKey(),
    trackingDefaults(ctx.db, ctx.orgId),
  ]);
  const now = new Date();
  const row = {
    id: newId(),
    orgId: ctx.orgId,
    name: input.name,
    region: input.region,
    customReturnPath: input.custom_return_path,
    trackingSubdomain: input.tracking_subdomain,
    openTracking: input.open_tracking ?? defaults.open,
    clickTracking: input.click_tracking ?? defaults.click,
    tls: input.tls,
    status: "not_started" as const,
    dkimSelector: key.selector,
    dkimPrivateKey: ctx.secrets.seal(key.privateKeyPem),
    dkimPublicKey: key.publicKey,
    recordStatus: {},
    unverifiedSince: now,
    createdAt: now,
    updatedAt: now,
  };
  return ctx.db.transaction(async (tx) => {
    const inserted = await tx
      .insert(domains)
      .values(row)
      .onConflictDoNothing({ target: [domains.orgId, domains.name] })
      .returning();
    const domain = inserted[0];
    if (!domain) {
      throw new AppError("validation_error", `The domain ${input.name} has already been added`, [
        { path: "name", message: "already added to this organization" },
      ]);
    }
    const view = domainSummary(domain, domainRecords(domain, ctx.config));
    await recordEvent(tx, {
      orgId: ctx.orgId,
      type: "domain.created",
      objectId: domain.id,
      data: view,
    });
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "domain.created",
      target: { type: "domain", id: domain.id },
      details: { name: domain.name, region: domain.region },
    });
    const { object: _, ...created } = view;
    return created;
  });
}
