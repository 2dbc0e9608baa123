import { simpleParser } from "mailparser";
import type { MailCatcher } from "../mail/catcher.ts";
import type { CallResult, TestApi } from "./harness.ts";

export interface ConsoleCallOptions {
  json?: unknown;
  headers?: Record<string, string>;
  /** Send X-CSRF-Token from the CSRF cookie on unsafe methods, as the console does (default). */
  csrf?: boolean;
}

/**
 * A browser of the console, in-process: keeps the cookies the API sets (honouring Max-Age=0
 * deletions) and, like the console's script, echoes the CSRF cookie in X-CSRF-Token.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** The Set-Cookie lines of the last response. */
  lastSetCookies: string[] = [];
  readonly #api: Pick<TestApi, "app">;

  constructor(api: Pick<TestApi, "app">) {
    this.#api = api;
  }

  cookie(suffix: string): string | undefined {
    for (const [name, value] of this.cookies) if (name.endsWith(suffix)) return value;
    return undefined;
  }

  async call(method: string, path: string, options: ConsoleCallOptions = {}): Promise<CallResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    }
    const unsafe = !["GET", "HEAD", "OPTIONS"].includes(method);
    const csrf = this.cookie("thrive_csrf");
    if (unsafe && (options.csrf ?? true) && csrf) headers["x-csrf-token"] = csrf;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] ??= "application/json";
    }
    const response = await this.#api.app.request(path, { method, headers, body });
    this.lastSetCookies = response.headers.getSetCookie();
    for (const line of this.lastSetCookies) {
      const [pair = ""] = line.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      if (/;\s*max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }
}

let counter = 0;

/** A unique email address for this test run. */
export function uniqueEmail(prefix = "person"): string {
  return `${prefix}-${Date.now().toString(36)}-${++counter}@acme.dev`;
}

export const TEST_PASSWORD = "correct horse battery staple";

/** Signs someone up (a new organization, of which they are the owner) in a new browser. */
export async function signUp(
  api: Pick<TestApi, "app">,
  input: { email?: string; password?: string; organization?: string } = {},
) {
  const client = new ConsoleClient(api);
  const email = input.email ?? uniqueEmail();
  const response = await client.call("POST", "/auth/sign-up", {
    json: {
      email,
      password: input.password ?? TEST_PASSWORD,
      name: "Test Person",
      organization_name: input.organization ?? "Acme",
    },
  });
  if (response.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(response.body)}`);
  return {
    client,
    email,
    password: input.password ?? TEST_PASSWORD,
    userId: response.body.user.id as string,
    orgId: response.body.organization.id as string,
  };
}

/** The link token of the newest email to `to` whose text matches `path` (e.g. /reset-password). */
export async function tokenFromMail(
  catcher: MailCatcher,
  to: string,
  path: string,
): Promise<string> {
  const matching = () =>
    catcher.messages.filter((message) =>
      message.envelope.to.some((address) => address.toLowerCase() === to.toLowerCase()),
    );
  let found: string | undefined;
  await catcher.waitFor(() => matching().length > 0, 15_000);
  for (const message of [...matching()].reverse()) {
    const parsed = await simpleParser(message.raw);
    const match = new RegExp(`${path}\\?token=([\\w%-]+)`).exec(parsed.text ?? "");
    if (match?.[1]) {
      found = decodeURIComponent(match[1]);
      break;
    }
  }
  if (!found) throw new Error(`no ${path} link in the mail to ${to}`);
  return found;
}

/** Waits for a mail to `to` whose text has a `path` link and answers its token. */
export async function waitForToken(
  catcher: MailCatcher,
  to: string,
  path: string,
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await tokenFromMail(catcher, to, path);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Someone new joins the owner's organization with `role`, the way people do: an invitation
 * emailed through the pipeline, its link's token, a new account.
 */
export async function addMember(
  owner: ConsoleClient,
  api: Pick<TestApi, "app">,
  catcher: MailCatcher,
  role: string,
) {
  const email = uniqueEmail(role);
  const invited = await owner.call("POST", "/invitations", { json: { email, role } });
  if (invited.status !== 201) throw new Error(`invitation failed: ${JSON.stringify(invited.body)}`);
  const token = await waitForToken(catcher, email, "/accept-invitation");
  const client = new ConsoleClient(api);
  const accepted = await client.call("POST", "/invitations/accept", {
    json: { token, name: "New Member", password: TEST_PASSWORD },
  });
  if (accepted.status !== 200) throw new Error(`accept failed: ${JSON.stringify(accepted.body)}`);
  const members = await owner.call("GET", "/members?limit=100");
  const member = members.body.data.find((m: { email: string }) => m.email === email);
  return { client, email, userId: accepted.body.user.id as string, memberId: member.id as string };
}
