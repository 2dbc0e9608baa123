/**
 * What a person's client sends and keeps (cookies, the CSRF token, no API key), single
 * sign-on's redirects, and request signatures, against a real local HTTP server scripted to
 * answer what the API answers over https (`__Host-` cookies) or in ways the live server does
 * not on demand. test/people.test.ts has the same against the live API.
 */
import { createHash, createHmac } from "node:crypto";
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { ThriveSend } from "../src/index.ts";
import { json, localServer, type RecordedRequest } from "./support/local-server.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Answer = (request: RecordedRequest, response: ServerResponse) => void;

async function scripted(...answers: Answer[]) {
  const server = await localServer((request, response, index) =>
    answers[Math.min(index, answers.length - 1)]?.(request, response),
  );
  closers.push(server.close);
  return server;
}

const SESSION = { object: "session", csrf_token: "csrf-from-the-body" };
const withCookies =
  (cookies: string[], body: unknown = SESSION): Answer =>
  (_, response) =>
    json(response, 200, body, { "set-cookie": cookies });

describe("a person's client", () => {
  it("sends back the cookies the API set, the CSRF token on changes only, and no API key", async () => {
    const server = await scripted(
      withCookies([
        "__Host-thrive_session=s1; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age=1209600",
        "__Host-thrive_csrf=c1; Path=/; Secure; SameSite=Lax; Max-Age=1209600",
      ]),
      (_, response) => json(response, 200, { object: "organization" }),
    );
    const thrive = new ThriveSend({ baseUrl: server.url });
    await thrive.auth.signIn({ email: "ada@acme.dev", password: "correct horse battery staple" });
    expect(thrive.sessionCookie).toBe("__Host-thrive_session=s1");
    await thrive.organization.get();
    await thrive.organization.update({ name: "Acme" });
    const [signIn, read, change] = server.requests;
    expect(signIn?.headers.cookie).toBeUndefined();
    expect(read?.headers.cookie).toBe("__Host-thrive_session=s1; __Host-thrive_csrf=c1");
    expect(read?.headers["x-csrf-token"]).toBeUndefined();
    expect(change?.headers["x-csrf-token"]).toBe("c1");
    for (const request of server.requests) expect(request.headers.authorization).toBeUndefined();
  });

  it("follows a rotated session, and forgets a cleared one", async () => {
    const server = await scripted(
      withCookies(["thrive_session=s2; Path=/; Max-Age=60", "thrive_csrf=c2; Path=/; Max-Age=60"]),
      withCookies(["thrive_session=; Path=/; Max-Age=0", "thrive_csrf=; Path=/; Max-Age=0"], {
        object: "session",
        signed_out: true,
      }),
      (_, response) => json(response, 200, {}),
    );
    const thrive = new ThriveSend({ baseUrl: server.url, sessionCookie: "thrive_session=s1" });
    await thrive.organization.get();
    expect(thrive.sessionCookie).toBe("thrive_session=s2");
    await thrive.auth.signOut();
    expect(server.requests[1]?.headers).toMatchObject({
      cookie: "thrive_session=s2; thrive_csrf=c2",
      "x-csrf-token": "c2",
    });
    expect(thrive.sessionCookie).toBeUndefined();
    await thrive.organization.get();
    expect(server.requests[2]?.headers.cookie).toBeUndefined();
  });

  it("resuming from a bare token, names its cookie by the scheme and asks for the CSRF token", async () => {
    const server = await scripted(
      (_, response) => json(response, 200, SESSION),
      (_, response) => json(response, 200, { object: "member", id: "m1", deleted: true }),
    );
    const thrive = new ThriveSend({ baseUrl: server.url, sessionCookie: "s1" });
    expect(thrive.sessionCookie).toBe("thrive_session=s1");
    await thrive.members.remove("m1");
    expect(server.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "GET /auth/session",
      "DELETE /members/m1",
    ]);
    expect(server.requests[1]?.headers["x-csrf-token"]).toBe("csrf-from-the-body");
    expect(
      new ThriveSend({ baseUrl: "https://mail.acme.dev", sessionCookie: "s1" }).sessionCookie,
    ).toBe("__Host-thrive_session=s1");
  });

  it("as an API key's client, sends the key and keeps no cookie", async () => {
    const server = await scripted(withCookies(["thrive_session=s1; Path=/"]));
    const thrive = new ThriveSend("ts_test", { baseUrl: server.url });
    await thrive.auth.signIn({ email: "ada@acme.dev", password: "x" });
    await thrive.auth.session();
    expect(thrive.sessionCookie).toBeUndefined();
    expect(server.requests[1]?.headers).toMatchObject({ authorization: "Bearer ts_test" });
    expect(server.requests[1]?.headers.cookie).toBeUndefined();
  });
});

describe("single sign-on's redirects", () => {
  it("are answers: start gives the provider's URL, and keeps the cookie the callback needs", async () => {
    const server = await scripted(
      (_, response) => {
        response.writeHead(302, {
          location: "https://idp.acme.dev/authorize?state=s",
          "set-cookie": "thrive_oidc=pending; Path=/; HttpOnly; Max-Age=600",
        });
        response.end();
      },
      (_, response) => {
        response.writeHead(302, {
          location: "https://mail.acme.dev/",
          "set-cookie": ["thrive_oidc=; Path=/; Max-Age=0", "thrive_session=s9; Path=/"],
        });
        response.end();
      },
    );
    const thrive = new ThriveSend({ baseUrl: server.url });
    const started = await thrive.auth.oidc.start("019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11");
    expect(started).toMatchObject({
      data: "https://idp.acme.dev/authorize?state=s",
      error: null,
    });
    const back = new URL(
      "https://mail.acme.dev/auth/oidc/callback?code=c&state=s&iss=https%3A%2F%2Fidp",
    );
    const finished = await thrive.auth.oidc.callback(back.searchParams);
    expect(finished.data).toBe("https://mail.acme.dev/");
    expect(server.requests[1]?.url).toBe(
      "/auth/oidc/callback?code=c&state=s&iss=https%3A%2F%2Fidp",
    );
    expect(server.requests[1]?.headers.cookie).toBe("thrive_oidc=pending");
    expect(thrive.sessionCookie).toBe("thrive_session=s9");
    // Two requests: neither redirect was followed.
    expect(server.requests).toHaveLength(2);
  });
});

describe("a client with a signingSecret", () => {
  it("signs method, path and query, timestamp and body hash, anew for each attempt", async () => {
    const server = await scripted(
      (_, response) =>
        json(
          response,
          429,
          { name: "rate_limit_exceeded", message: "slow" },
          {
            "retry-after-ms": "10",
          },
        ),
      (_, response) => json(response, 200, { object: "list", data: [], has_more: false }),
    );
    const secret = "rss_test_secret";
    const thrive = new ThriveSend("ts_test", { baseUrl: server.url, signingSecret: secret });
    await thrive.auditLogs.list({ action: "api_key.*", limit: 5 });
    expect(server.requests).toHaveLength(2);
    const timestamps = server.requests.map((request) => request.headers["x-thrive-timestamp"]);
    expect(new Set(timestamps).size).toBe(2);
    for (const request of server.requests) {
      const timestamp = String(request.headers["x-thrive-timestamp"]);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(10);
      const base = ["GET", request.url, timestamp, sha256("")].join("\n");
      expect(request.headers["x-thrive-signature"]).toBe(`v1=${hmac(secret, base)}`);
    }
    expect(server.requests[0]?.url).toBe("/audit-logs?action=api_key.*&limit=5");

    const post = await scripted((_, response) => json(response, 200, { id: "d1" }));
    await new ThriveSend("ts_test", { baseUrl: post.url, signingSecret: secret }).domains.create({
      name: "acme.dev",
    });
    const [request] = post.requests;
    const base = [
      "POST",
      "/domains",
      String(request?.headers["x-thrive-timestamp"]),
      sha256(request?.body ?? ""),
    ].join("\n");
    expect(request?.body).toBe('{"name":"acme.dev"}');
    expect(request?.headers["x-thrive-signature"]).toBe(`v1=${hmac(secret, base)}`);
  });
});

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function hmac(secret: string, text: string): string {
  return createHmac("sha256", secret).update(text).digest("hex");
}
