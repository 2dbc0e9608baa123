import type { AppError } from "../../lib/errors.ts";
import { actingAs } from "../audit/user-audit.ts";
import type { IdentityContext } from "../auth/identity-context.ts";

/** A refused single sign-on: the client's error, and what the audit entry says of it. */
export class SsoRefusal extends Error {
  override name = "SsoRefusal";
  /** A short code (`domain_not_allowed`...), not the provider's words: they may quote secrets. */
  readonly reason: string;
  readonly error: AppError;
  readonly details: Record<string, unknown>;

  constructor(reason: string, error: AppError, details: Record<string, unknown> = {}) {
    super(error.message);
    this.reason = reason;
    this.error = error;
    this.details = details;
  }
}

/**
 * `user.sign_in_failed` in the organization of the connection, by an unknown person (their
 * account, if any, is not looked up for a refusal): a throttled security event, since nothing
 * changed.
 */
export function auditSsoRefusal(
  ctx: Pick<IdentityContext, "audit" | "securityEvents">,
  pending: { orgId: string; connectionId: string },
  refusal: SsoRefusal,
): void {
  const origin = actingAs(ctx.audit, null);
  void ctx.securityEvents.record(
    origin,
    {
      orgId: pending.orgId,
      action: "user.sign_in_failed",
      details: {
        method: "oidc",
        connection_id: pending.connectionId,
        reason: refusal.reason,
        ...refusal.details,
      },
    },
    `oidc:${pending.orgId}:${refusal.reason}:${origin.ip ?? ""}`,
  );
}
