import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rolePermissions } from "../lib/roles.ts";
import type { ConsoleClient } from "../test/console.ts";
import { startTestApi, type TestApi } from "../test/harness.ts";
import {
  fill,
  label,
  type Operation,
  PUBLIC,
  placeholder,
  routeFixtures,
  operations as specOperations,
  type TestTenant,
} from "../test/route-fixtures.ts";

/**
 * Run against every operation in the spec: authentication, the key permission, the role, and
 * tenancy. A new route is covered the moment it is registered; one with a path id fails here
 * until it has a fixture (test/route-fixtures.ts) that creates such an object.
 *
 * Which operations take API keys: every one whose permission a full_access key has. The
 * organization, its members, invitations and single sign-on (PEOPLE_ONLY permissions) and the
 * account's own operations (`x-authentication: session`, /auth/...) are for people signed in
 * to the console: a key gets 401 restricted_api_key there, and their tenancy is checked with
 * sessions of two organizations instead. Which role may call which operation is checked, role
 * by role, in permissions-matrix.test.ts.
 */
let api: TestApi;
let owner: TestTenant;
let intruder: TestTenant;
let analyst: ConsoleClient;
let shared: ReturnType<typeof routeFixtures>;

const operations = () => specOperations(api);

beforeAll(async () => {
  api = await startTestApi();
  shared = routeFixtures(api);
  owner = await shared.tenant("Owner");
  intruder = await shared.tenant("Intruder");
  analyst = (await shared.joined(owner, "analyst")).client;
});
afterAll(() => api.close());

const callOptions = (op: Operation, key: string | null) => ({ key, json: shared.bodyOf(op) });
/** The call as a signed-in person (with the CSRF token). */
const sessionCall = (client: ConsoleClient, op: Operation, path: string) =>
  client.call(op.method, path, { json: shared.bodyOf(op) });

describe("security matrix", () => {
  it("covers every operation: each protected one declares its permission, or that it is a session's", () => {
    const all = operations();
    expect(all.length).toBeGreaterThan(8);
    for (const op of all) {
      if (PUBLIC.has(label(op))) {
        expect(op.secured, label(op)).toBe(false);
        continue;
      }
      expect(op.secured, label(op)).toBe(true);
      if (op.permission === undefined) expect(op.path, label(op)).toMatch(/^\/auth\//);
      else expect(op.permission, label(op)).toMatch(/^[a-z_]+:[a-z_]+$/);
    }
  });

  it("answers 401 missing_api_key without a key, on every protected operation", async () => {
    for (const op of operations().filter((o) => o.secured)) {
      const response = await api.call(op.method, placeholder(op.path), callOptions(op, null));
      expect(response.status, label(op)).toBe(401);
      expect(response.body.name, label(op)).toBe("missing_api_key");
    }
  });

  it("answers 403 invalid_api_key to an unknown key, on every protected operation", async () => {
    for (const op of operations().filter((o) => o.secured)) {
      const response = await api.call(
        op.method,
        placeholder(op.path),
        callOptions(op, "ts_unknown_key_0123456789"),
      );
      expect(response.status, label(op)).toBe(403);
      expect(response.body.name, label(op)).toBe("invalid_api_key");
    }
  });

  it("lets a sending_access key send and nothing else", async () => {
    for (const op of operations().filter((o) => o.secured)) {
      const fixture = shared.fixtures[label(op)];
      const path = fixture ? fill(op.path, await fixture.create(owner)) : op.path;
      const response = await api.call(op.method, path, callOptions(op, owner.sendingKey));
      if (op.permission === "emails:send" && !op.sessionOnly) {
        expect(response.status, label(op)).toBe(200);
      } else {
        expect(response.status, label(op)).toBe(401);
        expect(response.body.name, label(op)).toBe("restricted_api_key");
      }
    }
  });

  it("answers 404 to another organization's key and session for every object id, and the owner still has it", async () => {
    const withId = operations().filter((o) => o.secured && o.path.includes("{"));
    expect(withId.length).toBeGreaterThan(0);
    for (const op of withId) {
      const fixture = shared.fixtures[label(op)];
      if (!fixture) throw new Error(`${label(op)} needs a fixture in security.test.ts`);
      const path = fill(op.path, await fixture.create(owner));
      const response = op.sessionOnly
        ? await sessionCall(intruder.client, op, path)
        : await api.call(op.method, path, callOptions(op, intruder.key));
      expect(response.status, label(op)).toBe(404);
      expect(response.body.name, label(op)).toBe("not_found");
      if (!op.sessionOnly) {
        // An owner of another organization, signed in, is no closer to it than their key.
        const bySession = await sessionCall(intruder.client, op, path);
        expect(bySession.status, `${label(op)} by another organization's session`).toBe(404);
        expect(bySession.body.name, label(op)).toBe("not_found");
      }
      // The same call by the owner succeeds: the 404 was tenancy, not a broken route.
      const own = op.sessionOnly
        ? await sessionCall(owner.client, op, path)
        : await api.call(op.method, path, callOptions(op, owner.key));
      expect(own.status, `${label(op)} by its owner`).toBe(200);
    }
  });

  it("keeps full_access keys off the organization, its people and the console's sessions", async () => {
    const peopleOnly = operations().filter((o) => o.secured && o.sessionOnly);
    expect(peopleOnly.length).toBeGreaterThan(10);
    for (const op of peopleOnly) {
      const response = await api.call(op.method, placeholder(op.path), callOptions(op, owner.key));
      expect(response.status, label(op)).toBe(401);
      expect(response.body.name, label(op)).toBe("restricted_api_key");
    }
  });

  it("answers 403 forbidden to a member whose role lacks the operation's permission", async () => {
    const granted = rolePermissions("analyst");
    const refused = operations().filter(
      (o) => o.secured && o.permission !== undefined && !granted.has(o.permission as never),
    );
    expect(refused.length).toBeGreaterThan(10);
    for (const op of refused) {
      const response = await analyst.call(op.method, placeholder(op.path), {
        json: shared.bodyOf(op),
      });
      expect(response.status, label(op)).toBe(403);
      expect(response.body.name, label(op)).toBe("forbidden");
    }
  });

  it("refuses every cookie-authenticated change without the CSRF token", async () => {
    const changes = operations().filter((o) => o.secured && o.method !== "GET");
    for (const op of changes) {
      const response = await owner.client.call(op.method, placeholder(op.path), {
        json: shared.bodyOf(op),
        csrf: false,
      });
      expect(response.status, label(op)).toBe(403);
      expect(response.body.name, label(op)).toBe("invalid_csrf_token");
    }
  });
});
