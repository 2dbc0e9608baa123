import type { ApiKeyKind } from "../db/schema/index.ts";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";
import type { Permission } from "./permissions.ts";

/**
 * Who is calling, once authenticated: an API key, or a person signed in to the console.
 * Routes and services read the organization and the permissions from here, never from the
 * credential itself, so every kind of caller goes through the same checks.
 */
export type Principal = ApiKeyPrincipal | SessionPrincipal;

interface PrincipalBase {
  orgId: string;
  /** What the caller may do; every route checks its declared permission against it. */
  permissions: ReadonlySet<Permission>;
  /** The API key acting, when the caller is one (emails record which key sent them). */
  apiKeyId: string | null;
  /** A sending key limited to one domain. */
  domainId: string | null;
}

export interface ApiKeyPrincipal extends PrincipalBase {
  kind: "api_key";
  apiKeyId: string;
  /** Resend's key kind or `custom`, for its error messages. */
  keyPermission: ApiKeyKind;
}

export interface SessionPrincipal extends PrincipalBase {
  kind: "session";
  apiKeyId: null;
  domainId: null;
  userId: string;
  sessionId: string;
  /** The member's role in `orgId`: a built-in one (lib/roles.ts) or a custom role's name. */
  role: string;
}

export function principalOfKey(key: AuthenticatedKey): ApiKeyPrincipal {
  return {
    kind: "api_key",
    orgId: key.orgId,
    permissions: key.permissions,
    apiKeyId: key.id,
    keyPermission: key.permission,
    domainId: key.domainId,
  };
}

/** `permissions`: the role's, resolved by the caller (services/roles/role-cache.ts). */
export function principalOfSession(input: {
  userId: string;
  sessionId: string;
  orgId: string;
  role: string;
  permissions: ReadonlySet<Permission>;
}): SessionPrincipal {
  return { kind: "session", ...input, apiKeyId: null, domainId: null };
}
