import type { ApiKeyPermission } from "../db/schema/index.ts";
import type { AuthenticatedKey } from "../services/api-keys/authenticate-api-key.ts";
import { keyPermissions, type Permission } from "./permissions.ts";

/**
 * Who is calling, once authenticated: an API key today (a signed-in member of the console
 * later). Routes and services read the organization and the permissions from here, never from
 * the credential itself, so every kind of caller goes through the same checks.
 */
export interface Principal {
  kind: "api_key";
  orgId: string;
  /** What the caller may do; every route checks its declared permission against it. */
  permissions: ReadonlySet<Permission>;
  apiKeyId: string;
  /** Resend's key kind, for its error messages (a sending key is `restricted_api_key`). */
  keyPermission: ApiKeyPermission;
  /** A sending key limited to one domain. */
  domainId: string | null;
}

export function principalOfKey(key: AuthenticatedKey): Principal {
  return {
    kind: "api_key",
    orgId: key.orgId,
    permissions: keyPermissions(key.permission),
    apiKeyId: key.id,
    keyPermission: key.permission,
    domainId: key.domainId,
  };
}
