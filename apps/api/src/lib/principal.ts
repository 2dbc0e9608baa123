import type { ApiKeyPermission } from "../db/schema/index.ts";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";
import { keyPermissions, type Permission } from "./permissions.ts";
import { rolePermissions } from "./roles.ts";

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
  /** Resend's key kind, for its error messages (a sending key is `restricted_api_key`). */
  keyPermission: ApiKeyPermission;
}

export interface SessionPrincipal extends PrincipalBase {
  kind: "session";
  apiKeyId: null;
  domainId: null;
  userId: string;
  sessionId: string;
  /** The member's role in `orgId` (lib/roles.ts). */
  role: string;
}

export function principalOfKey(key: AuthenticatedKey): ApiKeyPrincipal {
  return {
    kind: "api_key",
    orgId: key.orgId,
    permissions: keyPermissions(key.permission),
    apiKeyId: key.id,
    keyPermission: key.permission,
    domainId: key.domainId,
  };
}

export function principalOfSession(input: {
  userId: string;
  sessionId: string;
  orgId: string;
  role: string;
}): SessionPrincipal {
  return {
    kind: "session",
    ...input,
    permissions: rolePermissions(input.role),
    apiKeyId: null,
    domainId: null,
  };
}
