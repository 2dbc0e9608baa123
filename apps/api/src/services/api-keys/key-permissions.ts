import type { ApiKeyKind } from "../../db/schema/index.ts";
import {
  KEY_PERMISSIONS,
  keyPermissions,
  type Permission,
  permissionSet,
} from "../../lib/permissions.ts";

/**
 * What a key may do: Resend's kinds map onto the code's sets (which grow with the catalog), a
 * custom key holds its stored set, never a people's permission whatever the row says.
 */
export function apiKeyPermissions(
  kind: ApiKeyKind,
  stored: readonly string[] | null,
): ReadonlySet<Permission> {
  return kind === "custom" ? permissionSet(stored ?? [], KEY_PERMISSIONS) : keyPermissions(kind);
}
