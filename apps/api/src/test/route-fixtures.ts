import { openApiDocument } from "../lib/openapi-document.ts";
import { keyPermissions } from "../lib/permissions.ts";
import { ConsoleClient, signUp, TEST_PASSWORD, uniqueEmail } from "./console.ts";
import type { TestApi, TestOrg } from "./harness.ts";

/**
 * What the matrices of tests over every operation of the spec share (routes/security.test.ts,
 * routes/permissions-matrix.test.ts): the operations as the spec lists them, a fixture for
 * each path with an id (an object of the organization it names) and a valid body for each
 * operation that takes one, so that only authorization can refuse a call.
 */
export interface Operation {
  method: string;
  path: string;
  permission: string | undefined;
  secured: boolean;
  /** Only for people signed in: no API key may call it. */
  sessionOnly: boolean;
}

/** An organization with people (a signed-up owner's session) and keys. */
export interface TestTenant extends TestOrg {
  client: ConsoleClient;
}

/** One id for a path with one, each by name for a path with several. */
export type PathIds = string | Record<string, string>;

export interface Fixture {
  /** Creates an object of the organization that the path's ids name. */
  create: (org: TestTenant) => Promise<PathIds>;
  body?: unknown;
}

/** The operations open to anyone: health, and signing in (or up, or back in). */
export const PUBLIC = new Set([
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

export const label = (op: Pick<Operation, "method" | "path">) => `${op.method} ${op.path}`;

const PATH_PARAMS = /\{([a-z_]+)\}/g;
export const PLACEHOLDER_ID = "00000000-0000-7000-8000-000000000000";

/** The path with an id of nothing in each of its parameters. */
export const placeholder = (path: string) => path.replace(PATH_PARAMS, PLACEHOLDER_ID);

/** The path with its ids: one id for a path with one, each by name for a path with several. */
export function fill(path: string, ids: PathIds): string {
  if (typeof ids === "string" && (path.match(PATH_PARAMS)?.length ?? 0) > 1) {
    throw new Error(`${path}: its fixture must name each of its ids`);
  }
  return path.replace(PATH_PARAMS, (param, name: string) => {
    const id = typeof ids === "string" ? ids : ids[name];
    if (!id) throw new Error(`${path}: its fixture names no ${param}`);
    return id;
  });
}

/** Every operation of the app's spec. */
export function operations(api: Pick<TestApi, "app">): Operation[] {
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

/** The fixtures and bodies, on the test's API. */
export function routeFixtures(api: TestApi) {
  let domains = 0;
  let suppressed = 0;
  let providerCount = 0;
  let roleCount = 0;

  /** An invitation of the organization; its link's token is read from the queued email's text. */
  async function invite(org: TestTenant, role = "developer") {
    const email = uniqueEmail("matrix");
    const response = await org.client.call("POST", "/invitations", { json: { email, role } });
    if (response.status !== 201) {
      throw new Error(`invitation failed: ${JSON.stringify(response.body)}`);
    }
    const [queued] = await api.database.sql<{ text: string }[]>`
      select text from emails where ${email} = any("to") order by id desc limit 1`;
    const token = /accept-invitation\?token=([\w-]+)/.exec(queued?.text ?? "")?.[1] ?? "";
    return { id: response.body.id as string, email, token };
  }

  /** Someone new in the organization with `role` (invited, accepted): their browser and id. */
  async function joined(org: TestTenant, role: string) {
    const { email, token } = await invite(org, role);
    const client = new ConsoleClient(api);
    await client.call("POST", "/invitations/accept", { json: { token, password: TEST_PASSWORD } });
    const members = await org.client.call("GET", "/members?limit=100");
    const memberId = members.body.data.find((m: { email: string }) => m.email === email)
      .id as string;
    return { client, memberId };
  }

  /** A new member of the organization; answers their membership id. */
  async function member(org: TestTenant, role = "developer"): Promise<string> {
    return (await joined(org, role)).memberId;
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

  async function domain(org: TestOrg): Promise<string> {
    const name = `matrix-${++domains}.dev`;
    return (await api.call("POST", "/domains", { key: org.key, json: { name } })).body.id;
  }

  async function suppression(org: TestOrg): Promise<string> {
    const email = `matrix-${++suppressed}@example.com`;
    return (await api.call("POST", "/suppressions", { key: org.key, json: { email } })).body.id;
  }

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
      json: { ...SEND, scheduled_at: new Date(Date.now() + 3600_000).toISOString() },
    });
    return response.body.id;
  }

  /** A custom role of the organization that nobody has. */
  async function role(org: TestTenant): Promise<string> {
    const response = await org.client.call("POST", "/roles", {
      json: { name: `matrix-fixture-${++roleCount}`, permissions: ["emails:read"] },
    });
    return response.body.id;
  }

  // Keys anyone who manages keys may create and rotate: nobody hands out rights they lack, and
  // a developer lacks some of a full_access key's (audit:read).
  const apiKey = (name: string) => async (org: TestOrg) =>
    (
      await api.call("POST", "/api-keys", {
        key: org.key,
        json: { name, permissions: ["api_keys:read"] },
      })
    ).body.id as string;

  const fixtures: Record<string, Fixture> = {
    "PATCH /members/{id}": { create: (org) => member(org), body: { role: "billing" } },
    "DELETE /members/{id}": { create: (org) => member(org) },
    "DELETE /invitations/{id}": { create: async (org) => (await invite(org)).id },
    "GET /roles/{id}": { create: role },
    "PATCH /roles/{id}": { create: role, body: { description: "Changed by the matrix" } },
    "DELETE /roles/{id}": { create: role },
    "GET /emails/{id}": { create: scheduledEmail },
    "PATCH /emails/{id}": {
      create: scheduledEmail,
      body: { scheduled_at: "2030-01-01T00:00:00Z" },
    },
    "POST /emails/{id}/cancel": { create: scheduledEmail },
    "DELETE /api-keys/{id}": { create: apiKey("target") },
    "POST /api-keys/{id}/rotate": { create: apiKey("rotated"), body: { grace_period_seconds: 60 } },
    "GET /domains/{id}": { create: domain },
    "PATCH /domains/{id}": { create: domain, body: { open_tracking: true } },
    "POST /domains/{id}/verify": { create: domain },
    "DELETE /domains/{id}": { create: domain },
    "GET /suppressions/{id_or_email}": { create: suppression },
    "DELETE /suppressions/{id_or_email}": { create: suppression },
    "GET /providers/{id}": { create: provider },
    "PATCH /providers/{id}": { create: provider, body: { enabled: false } },
    "DELETE /providers/{id}": { create: provider },
    "GET /webhooks/{id}": { create: webhook },
    "PATCH /webhooks/{id}": { create: webhook, body: { status: "disabled" } },
    "DELETE /webhooks/{id}": { create: webhook },
    "POST /webhooks/{id}/signing-secret/rotate": { create: webhook },
    "POST /webhooks/{id}/test": { create: webhook },
    "GET /webhooks/{id}/events": { create: webhook },
    "GET /webhooks/{id}/events/{event_id}": { create: webhookEvent },
    "GET /webhooks/{id}/events/{event_id}/attempts": { create: webhookEvent },
    "POST /webhooks/{id}/events/{event_id}/replay": { create: webhookEvent },
  };

  /**
   * The body of an operation's call: its fixture's, or one below. Creations of objects with
   * unique names get a new name each time, so that a second allowed call succeeds too.
   */
  let created = 0;
  const fresh: Record<string, () => unknown> = {
    "POST /domains": () => ({ name: `matrix-new-${++created}.dev` }),
    "POST /providers": () => ({
      name: `matrix-new-${++created}`,
      type: "smtp",
      smtp: { host: "smtp.example.com" },
    }),
    "POST /roles": () => ({ name: `matrix-created-${++created}`, permissions: ["emails:read"] }),
  };
  const bodyOf = (op: Pick<Operation, "method" | "path">): unknown =>
    fixtures[label(op)]?.body ?? fresh[label(op)]?.() ?? BODIES[label(op)];

  return { fixtures, bodyOf, invite, joined, member, tenant };
}

const SEND = { from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" };

/** A valid body for operations that need one, so that only authorization can refuse them. */
const BODIES: Record<string, unknown> = {
  "POST /emails": SEND,
  "POST /emails/batch": [SEND],
  "POST /api-keys": { name: "matrix", permissions: ["api_keys:read"] },
  "POST /suppressions": { email: "matrix@example.com" },
  "POST /suppressions/batch/add": { emails: ["matrix@example.com"] },
  "POST /suppressions/batch/remove": { emails: ["matrix@example.com"] },
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
  "POST /auth/switch-organization": { organization_id: PLACEHOLDER_ID },
  "POST /organization/transfer-ownership": { member_id: PLACEHOLDER_ID },
};
