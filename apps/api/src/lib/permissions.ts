import type { ApiKeyPermission } from "../db/schema/index.ts";

/**
 * What a caller may do. Every route declares one of these (shown in the spec as
 * `x-permission`); Resend's two key kinds map onto sets of them.
 */
export const PERMISSIONS = [
  "emails:send",
  "emails:read",
  "emails:write",
  "api_keys:read",
  "api_keys:write",
  "domains:read",
  "domains:write",
  "suppressions:read",
  "suppressions:write",
  "reputation:read",
  "reputation:write",
  "providers:read",
  "providers:write",
  "webhooks:read",
  "webhooks:write",
  "events:read",
  "audit:read",
  "usage:read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<ApiKeyPermission, ReadonlySet<Permission>> = {
  full_access: new Set(PERMISSIONS),
  sending_access: new Set<Permission>(["emails:send"]),
};

/** What a key of Resend's kind may do. */
export function keyPermissions(keyPermission: ApiKeyPermission): ReadonlySet<Permission> {
  return GRANTS[keyPermission];
}
