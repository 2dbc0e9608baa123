import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.ts";
import { oidcConnections } from "../../db/schema/index.ts";
import { AppError, notFound } from "../../lib/errors.ts";
import { newId } from "../../lib/ids.ts";
import { isBuiltInRole } from "../../lib/roles.ts";
import type { SecretBox } from "../../lib/secrets.ts";
import { changedFields } from "../audit/changed-fields.ts";
import { type AuditOrigin, recordAudit } from "../audit/record-audit.ts";
import { isUniqueViolation } from "../providers/unique-violation.ts";
import type { OidcClients } from "./oidc-clients.ts";

type ConnectionRow = typeof oidcConnections.$inferSelect;

export interface OidcContext {
  db: Db;
  orgId: string;
  secrets: SecretBox;
  oidc: OidcClients;
  /** Where the provider sends people back: `<PUBLIC_URL>/auth/oidc/callback`. */
  redirectUri: string;
  publicUrl: string;
  /** Who acts, for the audit entries. */
  audit: AuditOrigin;
}

export interface ConnectionInput {
  issuer?: string | undefined;
  client_id?: string | undefined;
  client_secret?: string | undefined;
  allowed_domains?: string[] | undefined;
  default_role?: string | undefined;
  enabled?: boolean | undefined;
}

export function connectionView(row: ConnectionRow, ctx: Pick<OidcContext, "publicUrl">) {
  return {
    object: "oidc_connection" as const,
    id: row.id,
    issuer: row.issuer,
    client_id: row.clientId,
    allowed_domains: row.allowedDomains,
    default_role: row.defaultRole,
    enabled: row.enabled,
    redirect_uri: `${ctx.publicUrl}/auth/oidc/callback`,
    sign_in_url: `${ctx.publicUrl}/auth/oidc/${row.orgId}/start`,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** What the audit entries show of a connection: everything but its client secret. */
const AUDITED_FIELDS = [
  "issuer",
  "client_id",
  "allowed_domains",
  "default_role",
  "enabled",
] as const satisfies readonly (keyof ReturnType<typeof connectionView>)[];

function auditedFields(row: ConnectionRow, ctx: Pick<OidcContext, "publicUrl">) {
  const view = connectionView(row, ctx);
  return Object.fromEntries(AUDITED_FIELDS.map((field) => [field, view[field]]));
}

const connectionTarget = (row: Pick<ConnectionRow, "id">) => ({
  type: "oidc_connection",
  id: row.id,
});

/** The key an openid-client configuration is cached under: it changes with the connection. */
export function clientKey(row: ConnectionRow): string {
  return `${row.id}:${row.updatedAt.getTime()}`;
}

function checkRole(role: string | undefined): void {
  if (role === undefined) return;
  // A provider's whole domain arriving as owners would hand the organization to anyone there.
  if (!isBuiltInRole(role) || role === "owner") {
    throw new AppError(
      "validation_error",
      "`default_role`: must be admin, developer, analyst or billing",
      [{ path: "default_role", message: "must be admin, developer, analyst or billing" }],
    );
  }
}

/** Fails with 422 when the issuer does not answer discovery with these credentials' shape. */
async function checkIssuer(
  ctx: OidcContext,
  issuer: string,
  clientId: string,
  clientSecret: string,
) {
  try {
    await ctx.oidc.configuration({ key: `check:${newId()}`, issuer, clientId, clientSecret });
  } catch (error) {
    throw new AppError("validation_error", `\`issuer\`: ${(error as Error).message}`, [
      { path: "issuer", message: "OpenID Connect discovery failed" },
    ]);
  }
}

export async function findConnection(db: Pick<Db, "select">, orgId: string) {
  const [row] = await db.select().from(oidcConnections).where(eq(oidcConnections.orgId, orgId));
  return row;
}

export async function getConnection({ ctx }: { ctx: OidcContext }) {
  const row = await findConnection(ctx.db, ctx.orgId);
  if (!row) throw notFound("OIDC connection");
  return connectionView(row, ctx);
}

export async function createConnection({
  ctx,
  input,
}: {
  ctx: OidcContext;
  input: Required<Omit<ConnectionInput, "enabled">> & { enabled?: boolean | undefined };
}) {
  checkRole(input.default_role);
  await checkIssuer(ctx, input.issuer, input.client_id, input.client_secret);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(oidcConnections)
        .values({
          id: newId(),
          orgId: ctx.orgId,
          issuer: input.issuer,
          clientId: input.client_id,
          clientSecret: ctx.secrets.seal(input.client_secret),
          allowedDomains: input.allowed_domains,
          defaultRole: input.default_role,
          enabled: input.enabled ?? true,
        })
        .returning();
      if (!row) throw new Error("insert returned no row");
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "oidc_connection.created",
        target: connectionTarget(row),
        details: auditedFields(row, ctx),
      });
      return connectionView(row, ctx);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError(
      "already_exists",
      "This organization has an OIDC connection already: update it",
    );
  }
}

export async function updateConnection({
  ctx,
  input,
}: {
  ctx: OidcContext;
  input: ConnectionInput;
}) {
  const current = await findConnection(ctx.db, ctx.orgId);
  if (!current) throw notFound("OIDC connection");
  checkRole(input.default_role);
  if (
    input.issuer !== undefined ||
    input.client_id !== undefined ||
    input.client_secret !== undefined
  ) {
    await checkIssuer(
      ctx,
      input.issuer ?? current.issuer,
      input.client_id ?? current.clientId,
      input.client_secret ?? ctx.secrets.open(current.clientSecret),
    );
  }
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(oidcConnections)
      .where(eq(oidcConnections.orgId, ctx.orgId))
      .for("update");
    if (!before) throw notFound("OIDC connection");
    const [row] = await tx
      .update(oidcConnections)
      .set({
        issuer: input.issuer,
        clientId: input.client_id,
        clientSecret:
          input.client_secret === undefined ? undefined : ctx.secrets.seal(input.client_secret),
        allowedDomains: input.allowed_domains,
        defaultRole: input.default_role,
        enabled: input.enabled,
        updatedAt: sql`clock_timestamp()`,
      })
      .where(eq(oidcConnections.id, before.id))
      .returning();
    if (!row) throw notFound("OIDC connection");
    const changes = changedFields(
      auditedFields(before, ctx),
      auditedFields(row, ctx),
      AUDITED_FIELDS,
    );
    // The secret itself never: only that a new one was given.
    const secretChanged = input.client_secret !== undefined;
    if (changes || secretChanged) {
      await recordAudit(tx, ctx.audit, {
        orgId: ctx.orgId,
        action: "oidc_connection.updated",
        target: connectionTarget(row),
        details: { changes: changes ?? {}, client_secret_changed: secretChanged },
      });
    }
    return connectionView(row, ctx);
  });
}

export async function deleteConnection({ ctx }: { ctx: OidcContext }) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(oidcConnections)
      .where(eq(oidcConnections.orgId, ctx.orgId))
      .returning();
    if (!row) throw notFound("OIDC connection");
    await recordAudit(tx, ctx.audit, {
      orgId: ctx.orgId,
      action: "oidc_connection.deleted",
      target: connectionTarget(row),
      details: auditedFields(row, ctx),
    });
    return { object: "oidc_connection" as const, id: row.id, deleted: true as const };
  });
}
