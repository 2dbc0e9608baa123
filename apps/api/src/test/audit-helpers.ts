import { expect } from "vitest";
import { type ConsoleCallOptions, ConsoleClient, TEST_PASSWORD, uniqueEmail } from "./console.ts";
import type { CallResult, TestApi } from "./harness.ts";

/** Where the browsers of the audit tests are (the API trusts X-Forwarded-For in these tests). */
export const ORIGIN = { ip: "198.51.100.7", userAgent: "audit-trail-test/1.0" };
export const ORIGIN_HEADERS = { "x-forwarded-for": ORIGIN.ip, "user-agent": ORIGIN.userAgent };

/** A console browser sending every request from ORIGIN's address and user agent. */
export class Browser extends ConsoleClient {
  override call(method: string, path: string, options: ConsoleCallOptions = {}) {
    return super.call(method, path, {
      ...options,
      headers: { ...ORIGIN_HEADERS, ...options.headers },
    });
  }
}

/** Someone signing up (a new organization they own) in a Browser. */
export async function signUpFrom(api: Pick<TestApi, "app">, organization = "Acme") {
  const browser = new Browser(api);
  const email = uniqueEmail();
  const response = await browser.call("POST", "/auth/sign-up", {
    json: { email, password: TEST_PASSWORD, name: "Audited", organization_name: organization },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return {
    browser,
    email,
    response,
    userId: response.body.user.id as string,
    orgId: response.body.organization.id as string,
  };
}

export const userActor = (id: string | null) => ({ type: "user", id });
export const userTarget = (id: string) => ({ type: "user", id });

export interface AuditLogView {
  id: string;
  action: string;
  actor: { type: string; id: string | null };
  target: { type: string; id: string } | null;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Record<string, unknown> | null;
}

/** GET /audit-logs?action=…, as `reader` (an owner or admin session): newest first. */
export async function auditEntries(reader: ConsoleClient, action: string) {
  const response = await reader.call("GET", `/audit-logs?limit=100&action=${action}`);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return response.body.data as AuditLogView[];
}

export const requestIdOf = (response: CallResult) => response.headers.get("x-request-id");

/** The `action` entries of `response`'s request, as the reader's organization lists them. */
export async function entriesOf(reader: ConsoleClient, response: CallResult, action: string) {
  const requestId = requestIdOf(response);
  expect(requestId).toBeTruthy();
  return (await auditEntries(reader, action)).filter((entry) => entry.request_id === requestId);
}

/**
 * Checks that `response`'s request recorded one `action` entry in the reader's organization,
 * by `actor`, about `target`, from ORIGIN, with the request's id (and `details`, if given).
 */
export async function expectAudited(
  reader: ConsoleClient,
  response: CallResult,
  action: string,
  expected: {
    actor: { type: string; id: string | null };
    target: { type: string; id: string } | null;
    details?: Record<string, unknown>;
  },
): Promise<AuditLogView> {
  const found = await entriesOf(reader, response, action);
  expect(found, `one ${action} entry for the request`).toHaveLength(1);
  const entry = found[0] as AuditLogView;
  expect(entry).toMatchObject({
    action,
    actor: expected.actor,
    target: expected.target,
    ip: ORIGIN.ip,
    user_agent: ORIGIN.userAgent,
    request_id: requestIdOf(response),
    ...(expected.details ? { details: expected.details } : {}),
  });
  return entry;
}

/** The organizations in which `response`'s request recorded `action`, read from the table. */
export async function organizationsRecording(
  api: Pick<TestApi, "database">,
  response: CallResult,
  action?: string,
): Promise<string[]> {
  const requestId = requestIdOf(response) ?? "";
  const rows = await api.database.sql<{ org_id: string }[]>`
    select distinct org_id from audit_logs
    where request_id = ${requestId} and (${action ?? null}::text is null or action = ${action ?? null})
    order by org_id`;
  return rows.map((row) => row.org_id);
}
