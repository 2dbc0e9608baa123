import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COLLECTION_FILE, ENVIRONMENT_FILE, SPEC_FILE } from "../src/paths.ts";
import {
  generatePostmanCollection,
  renderCollection,
  renderEnvironment,
} from "../src/postman/collection.ts";
import { type Collection, isFolder, type RequestItem } from "../src/postman/collection-types.ts";
import { COLLECTION_VARIABLES, FLOW } from "../src/postman/flow.ts";

const specText = await readFile(SPEC_FILE, "utf8");
const spec = JSON.parse(specText) as {
  paths: Record<
    string,
    Record<
      string,
      { operationId: string; responses: object; security?: Record<string, string[]>[] }
    >
  >;
};
const collection = await generatePostmanCollection(specText);
const requests = collection.item.flatMap((folder) => (isFolder(folder) ? folder.item : [folder]));
const requestItems = requests.filter((item): item is RequestItem => !isFolder(item));
const scriptOf = (item: RequestItem, listen: "prerequest" | "test") =>
  (item.event ?? [])
    .filter((event) => event.listen === listen)
    .flatMap((e) => e.script.exec)
    .join("\n");

describe("the Postman collection", () => {
  it("is checked in as generated (run `pnpm openapi` after changing the spec)", async () => {
    const checkedIn = await readFile(COLLECTION_FILE, "utf8");
    expect(
      checkedIn === renderCollection(collection),
      "openapi/thrive-send.postman_collection.json is stale: run `pnpm openapi`",
    ).toBe(true);
    expect(await readFile(ENVIRONMENT_FILE, "utf8")).toBe(renderEnvironment());
  });

  it("comes out the same on every generation", async () => {
    expect(renderCollection(await generatePostmanCollection(specText))).toBe(
      renderCollection(collection),
    );
  });

  it("has one request per operation, each testing its documented success status", () => {
    const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
    expect(requestItems.map((item) => item.id).sort()).toEqual(
      operations.map((operation) => operation.operationId).sort(),
    );
    for (const operation of operations) {
      const item = requestItems.find((request) => request.id === operation.operationId);
      const refusal = FLOW.find((step) => step.operationId === operation.operationId)?.refusal;
      const script = scriptOf(item as RequestItem, "test");
      if (refusal) {
        // A refusal shown on purpose is one of the operation's documented errors.
        expect(Object.keys(operation.responses)).toContain(String(refusal.status));
        expect(script).toContain(`pm.expect(pm.response.code).to.equal(${refusal.status});`);
        continue;
      }
      const documented = Object.keys(operation.responses);
      const successes = documented.filter((s) => s.startsWith("2"));
      // Single sign-on's two steps only redirect (302).
      const statuses = successes.length ? successes : documented.filter((s) => s.startsWith("3"));
      expect(statuses, operation.operationId).not.toEqual([]);
      expect(script, operation.operationId).toContain(
        `pm.expect(pm.response.code).to.be.oneOf([${statuses.join(",")}]);`,
      );
    }
    // Only the last owner's attempt to leave is refused on purpose.
    expect(FLOW.filter((step) => step.refusal).map((step) => step.operationId)).toEqual([
      "leaveOrganization",
    ]);
  });

  it("sets every variable a request uses before that request, or declares it", () => {
    const known = new Set(Object.keys(COLLECTION_VARIABLES));
    for (const item of requestItems) {
      const setHere = (text: string) =>
        [...text.matchAll(/pm\.collectionVariables\.set\("([a-z_]+)"/g)].map((m) => m[1] ?? "");
      for (const name of setHere(scriptOf(item, "prerequest"))) known.add(name);
      const used = JSON.stringify(item.request).matchAll(/\{\{([a-z_]+)\}\}/g);
      for (const [, name] of used) {
        expect(known.has(name ?? ""), `${item.id} uses {{${name}}} before it is set`).toBe(true);
      }
      for (const name of setHere(scriptOf(item, "test"))) known.add(name);
    }
    // Ids flow: the create requests store what the requests after them use.
    expect(known).toEqual(
      new Set([
        ...Object.keys(COLLECTION_VARIABLES),
        "domain_name",
        "domain_id",
        "api_key_id",
        "scheduled_at",
        "email_id",
        "rescheduled_at",
        "suppression_email",
        "provider_name",
        "provider_id",
        "webhook_id",
        "event_id",
        // The people part: who they are, the emailed tokens, MFA, and each one's session.
        "ada_email",
        "grace_email",
        "organization_id",
        "verify_email_token",
        "mfa_secret",
        "mfa_code",
        "recovery_code",
        "second_recovery_code",
        "password_reset_token",
        "oidc_authorize_url",
        "revoked_email",
        "invitation_id",
        "ada_session_cookie",
        "ada_csrf_token",
        "invitation_token",
        "ada_member_id",
        "grace_member_id",
        "grace_session_cookie",
        "grace_csrf_token",
        "role_id",
        "role_name",
        "member_id",
      ]),
    );
  });

  it("authenticates with {{api_key}}, except where the spec needs no key and as people", () => {
    expect(collection.auth).toEqual({
      type: "bearer",
      bearer: [{ key: "token", value: "{{api_key}}", type: "string" }],
    });
    const people = FLOW.filter((step) => step.session).map((step) => step.operationId);
    const open = requestItems.filter((item) => item.request.auth !== undefined).map((i) => i.id);
    expect(open.sort()).toEqual(["getHealth", "getReadiness", ...people].sort());
    expect((collection as Collection).item.every(isFolder)).toBe(true);
  });

  it("acts as people with the session cookie and the CSRF token, outside the cookie jar", () => {
    const sessionOnly = Object.values(spec.paths)
      .flatMap((item) => Object.values(item))
      .filter(({ security = [] }) => security.length > 0)
      .filter(({ security = [] }) => security.every((scheme) => "sessionCookie" in scheme));
    expect(sessionOnly.length).toBeGreaterThan(5);
    for (const step of FLOW.filter((candidate) => candidate.session)) {
      const item = requestItems.find((request) => request.id === step.operationId) as RequestItem;
      const headers = Object.fromEntries(
        (item.request.header ?? []).map((header) => [header.key, header.value]),
      );
      if (step.session === "send") {
        expect(headers.Cookie, step.operationId).toBe("{{session_cookie}}");
        if (item.request.method !== "GET") expect(headers["X-CSRF-Token"]).toBe("{{csrf_token}}");
      } else {
        expect(headers.Cookie, step.operationId).toBeUndefined();
      }
      expect(item.request.auth).toEqual({ type: "noauth" });
      // Every answer's cookies become the session the next requests send.
      expect(scriptOf(item, "test")).toContain('pm.collectionVariables.set("session_cookie"');
    }
    // The operations only a session may call are all sent with one.
    const sending = FLOW.filter((step) => step.session === "send").map((s) => s.operationId);
    for (const operation of sessionOnly) expect(sending).toContain(operation.operationId);
  });

  it("has an environment with base_url and api_key", () => {
    const environment = JSON.parse(renderEnvironment()) as { values: { key: string }[] };
    expect(environment.values.map((value) => value.key)).toEqual(["base_url", "api_key"]);
  });
});
