import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyPermissions, type Permission } from "../lib/permissions.ts";
import { BUILT_IN_ROLES, rolePermissions } from "../lib/roles.ts";
import { type ConsoleClient, signUp } from "../test/console.ts";
import { type CallResult, startTestApi, type TestApi } from "../test/harness.ts";
import {
  fill,
  label,
  type Operation,
  operations,
  type PathIds,
  placeholder,
  routeFixtures,
  type TestTenant,
} from "../test/route-fixtures.ts";

/**
 * Every operation of the spec, called by every kind of caller: a member of each built-in role,
 * a member of a custom role (extending another custom role, which extends a built-in one),
 * Resend's two kinds of key and a key with a set of its own. Each call is allowed iff the
 * caller's permissions include the operation's `x-permission`; a refusal is the permission's
 * own (403 forbidden naming it for a person, 401 restricted_api_key for a key), and an allowed
 * call succeeds (but for the few ANSWERS below, for reasons that are not authorization).
 *
 * The expected sets are written here, independently of the resolution under test: the
 * built-in roles' and Resend's kinds' from the code's tables, the custom ones by hand.
 */
let api: TestApi;
let owner: TestTenant;
let shared: ReturnType<typeof routeFixtures>;

const CUSTOM_KEY_PERMISSIONS: Permission[] = [
  "emails:read",
  "domains:read",
  "domains:write",
  "webhooks:read",
  "audit:read",
  "usage:read",
];

/** matrix-lead extends matrix-base, which extends analyst. */
const BASE_ROLE = { name: "matrix-base", extends: "analyst", permissions: ["domains:write"] };
const LEAD_ROLE = {
  name: "matrix-lead",
  extends: "matrix-base",
  permissions: ["webhooks:write", "audit:read"],
};
const LEAD_PERMISSIONS = new Set<Permission>([
  ...rolePermissions("analyst"),
  "domains:write",
  "webhooks:write",
  "audit:read",
]);

type Caller =
  | { name: string; kind: "session"; role: string; client: ConsoleClient; permissions: Set<string> }
  | { name: string; kind: "api_key"; token: string; permissions: Set<string> };

let callers: Caller[];

/**
 * Operations an allowed call would take away from under the rest of the matrix: the caller
 * leaves, or the organization goes. An allowed caller makes these calls as a newcomer of the
 * same role (in a new organization for the organization's deletion).
 */
const CONSUMES: Record<string, "caller" | "organization"> = {
  "POST /members/leave": "caller",
  "DELETE /organization": "organization",
};

/**
 * The answers of allowed calls other than a success, each for a reason other than
 * authorization (every other allowed call must succeed): a transfer to no member, since a real
 * one would move the ownership mid-matrix; single sign-on with an issuer nobody serves, so
 * there is never a connection to read, change or delete.
 */
const ANSWERS: Record<string, string> = {
  "POST /organization/transfer-ownership": "404 not_found",
  "POST /organization/oidc": "422 validation_error",
  "GET /organization/oidc": "404 not_found",
  "PATCH /organization/oidc": "404 not_found",
  "DELETE /organization/oidc": "404 not_found",
};

/** Undoes what an allowed call changed for everyone (signed requests would refuse the keys). */
const UNDO: Record<string, () => Promise<unknown>> = {
  "POST /request-signing/rotate": () => owner.client.call("DELETE", "/request-signing"),
};

beforeAll(async () => {
  api = await startTestApi();
  shared = routeFixtures(api);
  owner = await shared.tenant("Matrix");
  for (const role of [BASE_ROLE, LEAD_ROLE]) {
    const created = await owner.client.call("POST", "/roles", { json: role });
    if (created.status !== 201) throw new Error(`role: ${JSON.stringify(created.body)}`);
  }
  const customKey = await owner.client.call("POST", "/api-keys", {
    json: { name: "custom", permissions: CUSTOM_KEY_PERMISSIONS },
  });
  const members = await Promise.all(
    [...BUILT_IN_ROLES.filter((role) => role !== "owner"), LEAD_ROLE.name].map(async (role) => ({
      role,
      client: (await shared.joined(owner, role)).client,
    })),
  );
  callers = [
    {
      name: "owner",
      kind: "session",
      role: "owner",
      client: owner.client,
      permissions: new Set(rolePermissions("owner")),
    },
    ...members.map(({ role, client }) => ({
      name: role,
      kind: "session" as const,
      role,
      client,
      permissions: new Set<string>(
        role === LEAD_ROLE.name ? LEAD_PERMISSIONS : rolePermissions(role),
      ),
    })),
    {
      name: "full_access key",
      kind: "api_key",
      token: owner.key,
      permissions: new Set(keyPermissions("full_access")),
    },
    {
      name: "sending_access key",
      kind: "api_key",
      token: owner.sendingKey,
      permissions: new Set(keyPermissions("sending_access")),
    },
    {
      name: "custom key",
      kind: "api_key",
      token: customKey.body.token,
      permissions: new Set(CUSTOM_KEY_PERMISSIONS),
    },
  ];
});
afterAll(() => api.close());

/** A call that reads an event stream's status and lets the stream go. */
async function call(caller: Caller, op: Operation, path: string): Promise<CallResult> {
  const json = shared.bodyOf(op);
  if (op.path !== "/events/stream") {
    return caller.kind === "session"
      ? caller.client.call(op.method, path, { json })
      : api.call(op.method, path, { key: caller.token, json });
  }
  const headers: Record<string, string> =
    caller.kind === "session"
      ? { cookie: [...caller.client.cookies].map(([name, value]) => `${name}=${value}`).join("; ") }
      : { authorization: `Bearer ${caller.token}` };
  const response = await api.app.request(path, { method: op.method, headers });
  const type = response.headers.get("content-type") ?? "";
  if (type.startsWith("text/event-stream")) {
    await response.body?.cancel();
    return { status: response.status, body: null, headers: response.headers };
  }
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** The caller itself, or a newcomer of its role where the call would consume it. */
async function actingAs(caller: Caller, op: Operation): Promise<Caller> {
  const consumes = CONSUMES[label(op)];
  if (!consumes || caller.kind !== "session") return caller;
  if (consumes === "caller") {
    return { ...caller, client: (await shared.joined(owner, caller.role)).client };
  }
  if (caller.role !== "owner") throw new Error(`${label(op)}: only owners may consume the org`);
  return { ...caller, client: (await signUp(api, { organization: "Gone" })).client };
}

/** GET fixtures change nothing: one object serves every caller. */
const readFixtures = new Map<string, Promise<PathIds>>();
async function pathFor(op: Operation): Promise<string> {
  const fixture = shared.fixtures[label(op)];
  if (!fixture) return op.path;
  if (op.method !== "GET") return fill(op.path, await fixture.create(owner));
  let ids = readFixtures.get(label(op));
  if (!ids) {
    ids = fixture.create(owner);
    readFixtures.set(label(op), ids);
  }
  return fill(op.path, await ids);
}

const guarded = () =>
  operations(api).filter((op) => op.secured && op.permission !== undefined && op.sessionOnly);

describe("permission matrix", () => {
  it("declares a permission on every protected operation but the account's own", () => {
    for (const op of operations(api).filter((o) => o.secured)) {
      if (op.permission === undefined) expect(op.path, label(op)).toMatch(/^\/auth\//);
    }
    // The people's operations, roles included, are in the matrix.
    expect(guarded().map(label)).toEqual(
      expect.arrayContaining(["GET /roles", "POST /roles", "PATCH /members/{id}"]),
    );
  });

  it("allows each caller exactly the operations its permissions name", async () => {
    const checked = operations(api).filter((op) => op.secured && op.permission !== undefined);
    expect(checked.length).toBeGreaterThan(60);
    const mismatches: string[] = [];
    for (const caller of callers) {
      for (const op of checked) {
        const permission = op.permission as string;
        const allowed = caller.permissions.has(permission);
        const where = `${caller.name}: ${label(op)} (${permission})`;
        if (!allowed) {
          // Authorization comes before any lookup: an id of nothing is refused all the same.
          const response = await call(caller, op, placeholder(op.path));
          const refused =
            caller.kind === "session"
              ? response.status === 403 &&
                response.body?.name === "forbidden" &&
                String(response.body?.message).includes(`needs the ${permission} permission`)
              : response.status === 401 && response.body?.name === "restricted_api_key";
          if (!refused) mismatches.push(`${where}: expected a refusal, got ${summary(response)}`);
          continue;
        }
        const acting = await actingAs(caller, op);
        const response = await call(acting, op, await pathFor(op));
        const expected = ANSWERS[label(op)] ?? "2xx";
        const answered =
          response.status < 300 ? "2xx" : `${response.status} ${response.body?.name}`;
        if (answered !== expected) {
          mismatches.push(`${where}: expected ${expected}, got ${summary(response)}`);
        }
        if (response.status < 300) await UNDO[label(op)]?.();
      }
    }
    expect(mismatches).toEqual([]);
  });
});

function summary(response: CallResult): string {
  return `${response.status} ${response.body?.name ?? ""} ${response.body?.message ?? ""}`.trim();
}
