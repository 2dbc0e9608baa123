import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../lib/openapi-document.ts";
import { keyPermissions } from "../lib/permissions.ts";
import { rolePermissions } from "../lib/roles.ts";
import { ConsoleClient, signUp, TEST_PASSWORD, uniqueEmail } from "../test/console.ts";
import { startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";

/**
 * Run against every operation in the spec: authentication, the key permission, the role, and
 * tenancy. A new route is covered the moment it is registered; one with a path id fails here
 * until it has a fixture that creates such an object.
 *
 * Which operations take API keys: every one whose permission a full_access key has. The
 * organization, its members, invitations and single sign-on (PEOPLE_ONLY permissions) and the
 * account's own operations (`x-authentication: session`, /auth/...) are for people signed in
 * to the console: a key gets 401 restricted_api_key there, and their tenancy is checked with
 * sessions of two organizations instead.
 */
let api: TestApi;
/** An organization with people (a signed-up owner's session) and keys. */
interface TestTenant extends TestOrg {
  client: ConsoleClient;
}
let owner: TestTenant;
let intruder: TestTenant;
let analyst: ConsoleClient;

interface Operation {
  method: string;
  path: string;
  permission: string | undefined;
  secured: boolean;
  /** Only for people signed in: no API key may call it. */
  sessionOnly: boolean;
}

/** The operations open to anyone: health, and signing in (or up, or back in). */
const PUBLIC = new Set([
  "GET /health",
  "GET /ready",
  "POST /auth/sign-up",
  "POST /auth/sign-in",
  "POST /auth/password-reset",
  "POST /auth/password-reset/confirm",
  "POST /auth/verify-email",
  "GET /auth/oidc/{org}/start",
  "GET /auth/oidc/callback",
  "POST /invitations/accept",
]);

/**
 * Creates an object of `owner`'s that the path's {id} can name (or, for a path with several
 * ids, each of them by name), and a valid body for the call.
 */
type PathIds = string | Record<string, string>;
const fixtures: Record<string, { create: (org: TestTenant) => Promise<PathIds>; body?: unknown }> =
  {
    "PATCH /members/{id}": { create: (org) => member(org), body: { role: "billing" } },
    "DELETE /members/{id}": { create: (org) => member(org) },
    "DELETE /invitations/{id}": { create: async (org) => (await invite(org)).id },
    "GET /emails/{id}": { create: (org) => scheduledEmail(org) },
    "PATCH /emails/{id}": {
      create: (org) => scheduledEmail(org),
      body: { scheduled_at: "2030-01-01T00:00:00Z" },
    },
    "POST /emails/{id}/cancel": { create: (org) => scheduledEmail(org) },
    "DELETE /api-keys/{id}": {
      create: async (org) =>
        (await api.call("POST", "/api-keys", { key: org.key, json: { name: "target" } })).body.id,
    },
    "POST /api-keys/{id}/rotate": {
      create: async (org) =>
        (await api.call("POST", "/api-keys", { key: org.key, json: { name: "rotated" } })).body.id,
      body: { grace_period_seconds: 60 },
    },
    "GET /domains/{id}": { create: (org) => domain(org) },
    "PATCH /domains/{id}": { create: (org) => domain(org), body: { open_tracking: true } },
    "POST /domains/{id}/verify": { create: (org) => domain(org) },
    "DELETE /domains/{id}": { create: (org) => domain(org) },
    "GET /suppressions/{id_or_email}": { create: (org) => suppression(org) },
    "DELETE /suppressions/{id_or_email}": { create: (org) => suppression(org) },
    "GET /providers/{id}": { create: (org) => provider(org) },
    "PATCH /providers/{id}": { create: (org) => provider(org), body: { enabled: false } },
    "DELETE /providers/{id}": { create: (org) => provider(org) },
    "GET /webhooks/{id}": { create: (org) => webhook(org) },
    "PATCH /webhooks/{id}": { create: (org) => webhook(org), body: { status: "disabled" } },
    "DELETE /webhooks/{id}": { create: (org) => webhook(org) },
    "POST /webhooks/{id}/signing-secret/rotate": { create: (org) => webhook(org) },
    "POST /webhooks/{id}/test": { create: (org) => webhook(org) },
    "GET /webhooks/{id}/events": { create: (org) => webhook(org) },
    "GET /webhooks/{id}/events/{event_id}": { create: (org) => webhookEvent(org) },
    "GET /webhooks/{id}/events/{event_id}/attempts": { create: (org) => webhookEvent(org) },
    "POST /webhooks/{id}/events/{event_id}/replay": { create: (org) => webhookEvent(org) },
  };

/** A valid body for operations that need one, so that only authorization can refuse them. */
const bodies: Record<string, unknown> = {
  "POST /emails": { from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" },
  "POST /emails/batch": [{ from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" }],
  "POST /api-keys": { name: "matrix" },
  "POST /domains": { name: "matrix.dev" },
  "POST /suppressions": { email: "matrix@example.com" },
  "POST /suppressions/batch/add": { emails: ["matrix@example.com"] },
  "POST /suppressions/batch/remove": { emails: ["matrix@example.com"] },
  "POST /providers": { name: "matrix", type: "smtp", smtp: { host: "smtp.example.com" } },
  "POST /webhooks": { endpoint: "https://example.com/matrix", events: ["email.sent"] },
  "PATCH /organization": { name: "Matrix" },
  "POST /invitations": { email: "matrix-invitee@example.com", role: "developer" },
  "POST /organization/oidc": {
    issuer: "http://127.0.0.1:9",
    client_id: "matrix",
    client_secret: "matrix",
    allowed_domains: ["matrix.dev"],
    default_role: "developer",
  },
  "PATCH /organization/oidc": { enabled: false },
  "POST /auth/mfa/enable": { code: "123456" },
  "POST /auth/mfa/disable": { code: "123456" },
  "POST /auth/mfa/verify": { code: "123456" },
  "POST /auth/switch-organization": { organization_id: "00000000-0000-7000-8000-000000000000" },
  "POST /organization/transfer-ownership": { member_id: "00000000-0000-7000-8000-000000000000" },
};

/** An invitation of the organization; its link's token is read from the queued email's text. */
async function invite(org: TestTenant, role = "developer") {
  const email = uniqueEmail("matrix");
  const response = await org.client.call("POST", "/invitations", { json: { email, role } });
  const [queued] = await api.database.sql<{ text: string }[]>`
    select text from emails where ${email} = any("to") order by id desc limit 1`;
  const token = /accept-invitation\?token=([\w-]+)/.exec(queued?.text ?? "")?.[1] ?? "";
  return { id: response.body.id as string, email, token };
}

/** A new member of the organization (invited, accepted); answers their membership id. */
async function member(org: TestTenant, role = "developer"): Promise<string> {
  return (await joined(org, role)).memberId;
}

async function joined(org: TestTenant, role: string) {
  const { email, token } = await invite(org, role);
  const client = new ConsoleClient(api);
  await client.call("POST", "/invitations/accept", { json: { token, password: TEST_PASSWORD } });
  const members = await org.client.call("GET", "/members?limit=100");
  const memberId = members.body.data.find((m: { email: string }) => m.email === email).id as string;
  return { client, memberId };
}

/** A signed-up owner, and keys of their organization made through their session. */
async function tenant(name: string): Promise<TestTenant> {
  const person = await signUp(api, { organization: name });
  const full = await person.client.call("POST", "/api-keys", { json: { name: "full" } });
  const sending = await person.client.call("POST", "/api-keys", {
    json: { name: "sending", permission: "sending_access" },
  });
  return {
    orgId: person.orgId,
    key: full.body.token,
    sendingKey: sending.body.token,
    client: person.client,
  };
}

let domains = 0;
async function domain(org: TestOrg): Promise<string> {
  const name = `matrix-${++domains}.dev`;
  return (await api.call("POST", "/domains", { key: org.key, json: { name } })).body.id;
}

let suppressed = 0;
async function suppression(org: TestOrg): Promise<string> {
  const email = `matrix-${++suppressed}@example.com`;
  return (await api.call("POST", "/suppressions", { key: org.key, json: { email } })).body.id;
}

let providerCount = 0;
async function provider(org: TestOrg): Promise<string> {
  const json = {
    name: `matrix-${++providerCount}`,
    type: "smtp",
    smtp: { host: "smtp.example.com" },
  };
  return (await api.call("POST", "/providers", { key: org.key, json })).body.id;
}

async function webhook(org: TestOrg): Promise<string> {
  const json = { endpoint: "https://example.com/matrix", events: ["domain.created"] };
  return (await api.call("POST", "/webhooks", { key: org.key, json })).body.id;
}

/** A webhook and the event its endpoint got when a domain was added. */
async function webhookEvent(org: TestOrg): Promise<Record<string, string>> {
  const id = await webhook(org);
  await domain(org);
  const events = await api.call("GET", `/webhooks/${id}/events`, { key: org.key });
  return { id, event_id: events.body.data[0].id };
}

async function scheduledEmail(org: TestOrg): Promise<string> {
  const response = await api.call("POST", "/emails", {
    key: org.key,
    json: {
      ...(bodies["POST /emails"] as object),
      scheduled_at: new Date(Date.now() + 3600_000).toISOString(),
    },
  });
  return response.body.id;
}

function operations(): Operation[] {
  const spec = openApiDocument(api.app) as unknown as {
    paths: Record<string, Record<string, Record<string, unknown>>>;
  };
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      permission: operation["x-permission"] as string | undefined,
      secured: Array.isArray(operation.security) && operation.security.length > 0,
      sessionOnly:
        operation["x-authentication"] === "session" ||
        !keyPermissions("full_access").has(operation["x-permission"] as never),
    })),
  );
}

beforeAll(async () => {
  api = await startTestApi();
  owner = await tenant("Owner");
  intruder = await tenant("Intruder");
  analyst = (await joined(owner, "analyst")).client;
});
afterAll(() => api.close());

const label = (op: Operation) => `${op.method} ${op.path}`;
const PATH_PARAMS = /\{([a-z_]+)\}/g;
const placeholder = (path: string) =>
  path.replace(PATH_PARAMS, "00000000-0000-7000-8000-000000000000");
/** The path with its ids: one id for a path with one, each by name for a path with several. */
function fill(path: string, ids: PathIds): string {
  if (typeof ids === "string" && (path.match(PATH_PARAMS)?.length ?? 0) > 1) {
    throw new Error(`${path}: its fixture must name each of its ids`);
  }
  return path.replace(PATH_PARAMS, (param, name: string) => {
    const id = typeof ids === "string" ? ids : ids[name];
    if (!id) throw new Error(`${path}: its fixture names no ${param}`);
    return id;
  });
}
const callOptions = (op: Operation, key: string | null) => {
  const body = fixtures[label(op)]?.body ?? bodies[label(op)];
  return { key, json: body };
};
/** The call as a signed-in person (with the CSRF token). */
const sessionCall = (client: ConsoleClient, op: Operation, path: string) =>
  client.call(op.method, path, { json: fixtures[label(op)]?.body ?? bodies[label(op)] });

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
      const fixture = fixtures[label(op)];
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

  it("answers 404 to another organization's key (or session, where keys may not go) for every object id, and the owner still has it", async () => {
    const withId = operations().filter((o) => o.secured && o.path.includes("{"));
    expect(withId.length).toBeGreaterThan(0);
    for (const op of withId) {
      const fixture = fixtures[label(op)];
      if (!fixture) throw new Error(`${label(op)} needs a fixture in security.test.ts`);
      const path = fill(op.path, await fixture.create(owner));
      const response = op.sessionOnly
        ? await sessionCall(intruder.client, op, path)
        : await api.call(op.method, path, callOptions(op, intruder.key));
      expect(response.status, label(op)).toBe(404);
      expect(response.body.name, label(op)).toBe("not_found");
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
        json: fixtures[label(op)]?.body ?? bodies[label(op)],
      });
      expect(response.status, label(op)).toBe(403);
      expect(response.body.name, label(op)).toBe("forbidden");
    }
  });

  it("refuses every cookie-authenticated change without the CSRF token", async () => {
    const changes = operations().filter((o) => o.secured && o.method !== "GET");
    for (const op of changes) {
      const response = await owner.client.call(op.method, placeholder(op.path), {
        json: fixtures[label(op)]?.body ?? bodies[label(op)],
        csrf: false,
      });
      expect(response.status, label(op)).toBe(403);
      expect(response.body.name, label(op)).toBe("invalid_csrf_token");
    }
  });
});
