import type { Db } from "../../db/client.ts";
import type { Permission } from "../../lib/permissions.ts";
import { isBuiltInRole, OrganizationRoles, rolePermissions } from "../../lib/roles.ts";
import { customRoleRows } from "./role-definitions.ts";

interface OrgEntry {
  roles: OrganizationRoles;
  expiresAt: number;
}

/**
 * A member's permissions for the session path, which builds a principal on every request. A
 * built-in role costs nothing; a custom role reads the organization's roles once, resolves
 * them all and keeps them for `ttlMs`. A role changed through this process is seen at once
 * (`forget`), through another within `ttlMs`: the same rule as the API keys' cache.
 */
export class RoleCache {
  readonly #db: Db;
  readonly #ttlMs: number;
  readonly #maxOrgs: number;
  readonly #cache = new Map<string, OrgEntry>();
  /** Loads under way, shared by the requests that wait for them. */
  readonly #loading = new Map<string, Promise<OrganizationRoles>>();
  /**
   * Bumped by every `forget`: a load that started before a change must not be kept (one
   * counter for all organizations: an unrelated change only costs a load its caching).
   */
  #generation = 0;

  constructor(db: Db, options: { ttlMs?: number; maxOrgs?: number } = {}) {
    this.#db = db;
    this.#ttlMs = options.ttlMs ?? 5_000;
    this.#maxOrgs = options.maxOrgs ?? 10_000;
  }

  async permissionsOf(orgId: string, role: string): Promise<ReadonlySet<Permission>> {
    if (isBuiltInRole(role)) return rolePermissions(role);
    return (await this.#roles(orgId)).permissionsOf(role);
  }

  /** Drops an organization's roles (after one of them changed). */
  forget(orgId: string): void {
    this.#cache.delete(orgId);
    this.#loading.delete(orgId);
    this.#generation += 1;
  }

  async #roles(orgId: string): Promise<OrganizationRoles> {
    const cached = this.#cache.get(orgId);
    if (cached && cached.expiresAt > Date.now()) return cached.roles;
    const loading = this.#loading.get(orgId);
    if (loading) return loading;
    const generation = this.#generation;
    const load = customRoleRows(this.#db, orgId)
      .then((definitions) => {
        const roles = new OrganizationRoles(definitions);
        if (this.#generation === generation) this.#remember(orgId, roles);
        return roles;
      })
      .finally(() => {
        if (this.#loading.get(orgId) === load) this.#loading.delete(orgId);
      });
    this.#loading.set(orgId, load);
    return load;
  }

  #remember(orgId: string, roles: OrganizationRoles): void {
    if (this.#cache.size >= this.#maxOrgs) {
      // Map iterates in insertion order: drop the oldest entry.
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(orgId, { roles, expiresAt: Date.now() + this.#ttlMs });
  }
}
