/**
 * Retries, backoff, Retry-After, idempotency keys, timeouts and aborts, against a real local
 * HTTP server scripted to fail (the live API does not fail on demand).
 */
import { afterEach, describe, expect, it } from "vitest";
import { ThriveSend } from "../src/index.ts";
import { apiError, json, localServer } from "./support/local-server.ts";

const EMAIL = { from: "a@acme.dev", to: "b@example.com", subject: "Hi", text: "hello" };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function scripted(...answers: Parameters<typeof localServer>[0][]) {
  const server = await localServer((request, response, index) => {
    const answer = answers[Math.min(index, answers.length - 1)];
    return answer?.(request, response, index);
  });
  closers.push(server.close);
  return server;
}

const ok = (body: unknown) => (_: unknown, response: Parameters<typeof json>[0]) =>
  json(response, 200, body);

function client(url: string, options: ConstructorParameters<typeof ThriveSend>[1] = {}) {
  return new ThriveSend("ts_test", {
    baseUrl: url,
    retryDelays: { initialDelayMs: 50, maxDelayMs: 200 },
    ...options,
  });
}

describe("retries", () => {
  it("retries a 503 after its Retry-After, with the same Idempotency-Key", async () => {
    const server = await scripted(
      (_, response) => apiError(503, "internal_server_error", { "retry-after": "1" })(response),
      ok({ id: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47" }),
    );
    const { data, error, headers } = await client(server.url).emails.send(EMAIL);
    expect(error).toBeNull();
    expect(data).toEqual({ id: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47" });
    expect(headers?.["content-type"]).toBe("application/json");
    const [first, second] = server.requests;
    expect(server.requests).toHaveLength(2);
    const key = first?.headers["idempotency-key"];
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(second?.headers["idempotency-key"]).toBe(key);
    expect(second?.body).toBe(first?.body);
    // Retry-After: 1 second, not the 50 ms backoff.
    const waited = (second?.at ?? 0) - (first?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(3000);
  });

  it("uses the caller's Idempotency-Key, and a new one for each call", async () => {
    const server = await scripted(ok({ id: "x" }));
    const thrive = client(server.url);
    await thrive.emails.send(EMAIL, { idempotencyKey: "welcome/42" });
    await thrive.emails.send(EMAIL);
    await thrive.emails.send(EMAIL);
    const keys = server.requests.map((request) => request.headers["idempotency-key"]);
    expect(keys[0]).toBe("welcome/42");
    expect(keys[1]).not.toBe(keys[2]);
  });

  it("gives up after maxRetries and answers the last error", async () => {
    const server = await scripted((_, response) =>
      apiError(500, "internal_server_error")(response),
    );
    const { data, error, headers } = await client(server.url, { maxRetries: 3 }).emails.get(
      "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47",
    );
    expect(data).toBeNull();
    expect(error).toMatchObject({ statusCode: 500, name: "internal_server_error" });
    expect(headers).not.toBeNull();
    expect(server.requests).toHaveLength(4);
  });

  it("backs off exponentially with jitter below each doubling ceiling", async () => {
    const server = await scripted((_, response) =>
      apiError(502, "internal_server_error")(response),
    );
    await client(server.url, {
      maxRetries: 3,
      retryDelays: { initialDelayMs: 100, maxDelayMs: 1000 },
    }).domains.list();
    const gaps = server.requests
      .slice(1)
      .map((request, i) => request.at - (server.requests[i]?.at ?? 0));
    expect(gaps).toHaveLength(3);
    // Full jitter: each wait is below 100, 200, 400 ms, plus scheduling slack on a busy machine
    // (retry-policy.test.ts checks the draws exactly).
    gaps.forEach((gap, i) => {
      expect(gap).toBeLessThan(100 * 2 ** i + 400);
    });
  });

  it("honours Retry-After given as an HTTP date", async () => {
    const server = await scripted(
      (_, response) =>
        apiError(429, "rate_limit_exceeded", {
          "retry-after": new Date(Date.now() + 2000).toUTCString(),
        })(response),
      ok({ object: "list", data: [], has_more: false }),
    );
    const { error } = await client(server.url).apiKeys.list();
    expect(error).toBeNull();
    const [first, second] = server.requests;
    // An HTTP date has whole seconds: the wait is between 1 and 2 seconds.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);
  });

  it("caps a long Retry-After", async () => {
    const server = await scripted(
      (_, response) => apiError(429, "rate_limit_exceeded", { "retry-after": "3600" })(response),
      ok({ object: "list", data: [], has_more: false }),
    );
    const started = performance.now();
    const { error } = await client(server.url, {
      retryDelays: { maxRetryAfterMs: 300 },
    }).webhooks.list();
    expect(error).toBeNull();
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("retries 409 concurrent_idempotent_requests, not invalid_idempotent_request or invalid_state", async () => {
    const concurrent = await scripted(
      (_, response) => apiError(409, "concurrent_idempotent_requests")(response),
      ok({ id: "x" }),
    );
    expect((await client(concurrent.url).emails.send(EMAIL)).data).toEqual({ id: "x" });
    expect(concurrent.requests).toHaveLength(2);

    for (const name of ["invalid_idempotent_request", "invalid_state"]) {
      const refused = await scripted((_, response) => apiError(409, name)(response));
      const { error } = await client(refused.url).emails.cancel(
        "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47",
      );
      expect(error?.name).toBe(name);
      expect(refused.requests).toHaveLength(1);
    }
  });

  it("does not retry other 4xx", async () => {
    const server = await scripted((_, response) => apiError(422, "validation_error")(response));
    const { error } = await client(server.url).emails.send(EMAIL);
    expect(error).toMatchObject({ statusCode: 422, name: "validation_error", request_id: "req_1" });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a 5xx of a create without an idempotency key only when it is replay-safe", async () => {
    // POST /api-keys has no Idempotency-Key: a 500 may have created the key, so no retry...
    const failing = await scripted((_, response) =>
      apiError(500, "internal_server_error")(response),
    );
    await client(failing.url).apiKeys.create({ name: "k" });
    expect(failing.requests).toHaveLength(1);
    // ...but a 429 means nothing was done: retried.
    const limited = await scripted(
      (_, response) => apiError(429, "rate_limit_exceeded", { "retry-after": "0" })(response),
      ok({ id: "k", token: "ts_x" }),
    );
    expect((await client(limited.url).apiKeys.create({ name: "k" })).data).toEqual({
      id: "k",
      token: "ts_x",
    });
    expect(limited.requests).toHaveLength(2);
  });

  it("retries a dropped connection", async () => {
    const server = await scripted(
      (_, response) => {
        response.socket?.destroy();
      },
      ok({ status: "ok" }),
    );
    const { data, error } = await client(server.url).system.health();
    expect(error).toBeNull();
    expect(data).toEqual({ status: "ok" });
    expect(server.requests).toHaveLength(2);
  });

  it("answers connection_error when nothing listens", async () => {
    const server = await scripted(ok({}));
    await server.close();
    const { data, error, headers } = await client(server.url, { maxRetries: 1 }).system.health();
    expect(data).toBeNull();
    expect(headers).toBeNull();
    expect(error).toMatchObject({ name: "connection_error", statusCode: null });
  });

  it("answers application_error for a body that is not the API's error", async () => {
    const server = await scripted((_, response) => {
      response.writeHead(404, { "content-type": "text/html" });
      response.end("<h1>Not here</h1>");
    });
    const { error } = await client(server.url).emails.get("019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47");
    expect(error).toMatchObject({ name: "application_error", statusCode: 404 });
  });
});

describe("timeouts and aborts", () => {
  const slow = (ms: number) => (_: unknown, response: Parameters<typeof json>[0]) =>
    new Promise<void>((resolve) =>
      setTimeout(() => {
        if (!response.destroyed) json(response, 200, { status: "ok" });
        resolve();
      }, ms),
    );

  it("times each attempt out and retries it", async () => {
    const server = await scripted(slow(2000), ok({ status: "ok" }));
    const started = performance.now();
    const { data, error } = await client(server.url, { timeout: 200 }).system.health();
    expect(error).toBeNull();
    expect(data).toEqual({ status: "ok" });
    expect(server.requests).toHaveLength(2);
    expect(performance.now() - started).toBeLessThan(1900);
  });

  it("answers timeout_error once the retries are spent", async () => {
    const server = await scripted(slow(1000));
    const { error } = await client(server.url, { maxRetries: 1 }).system.health({ timeout: 100 });
    expect(error).toMatchObject({ name: "timeout_error", statusCode: null });
    expect(server.requests).toHaveLength(2);
  });

  it("rejects with the caller's abort reason, during a request or a backoff", async () => {
    const server = await scripted(slow(2000));
    const during = new AbortController();
    setTimeout(() => during.abort(new Error("stop")), 100);
    await expect(client(server.url).system.health({ signal: during.signal })).rejects.toThrow(
      "stop",
    );

    const backingOff = await scripted((_, response) =>
      apiError(503, "internal_server_error", { "retry-after": "5" })(response),
    );
    const later = new AbortController();
    setTimeout(() => later.abort(new Error("enough")), 200);
    await expect(client(backingOff.url).system.health({ signal: later.signal })).rejects.toThrow(
      "enough",
    );
    expect(backingOff.requests).toHaveLength(1);
  });
});

describe("requests", () => {
  it("sends camelCase options as snake_case, leaving the caller's data as given", async () => {
    const server = await scripted(ok({ id: "x" }));
    await client(server.url).emails.send({
      ...EMAIL,
      replyTo: "r@acme.dev",
      scheduledAt: new Date("2030-01-01T00:00:00Z"),
      headers: { "X-Entity-Ref-ID": "abc", replyTo: "kept" },
      tags: [{ name: "camelCase", value: "someValue" }],
      attachments: [
        { filename: "a.txt", content: new TextEncoder().encode("hi"), contentType: "text/plain" },
      ],
    });
    expect(JSON.parse(server.requests[0]?.body ?? "")).toEqual({
      ...EMAIL,
      reply_to: "r@acme.dev",
      scheduled_at: "2030-01-01T00:00:00.000Z",
      headers: { "X-Entity-Ref-ID": "abc", replyTo: "kept" },
      tags: [{ name: "camelCase", value: "someValue" }],
      attachments: [{ filename: "a.txt", content: "aGk=", content_type: "text/plain" }],
    });
  });

  it("builds list queries and sends the key, user agent and caller's headers", async () => {
    const server = await scripted(ok({ object: "list", data: [], has_more: false }));
    await client(server.url, { headers: { "x-client": "a" } }).events.list(
      {
        type: ["email.bounced", "email.complained"],
        emailId: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47",
        tag: { name: "category", value: "welcome" },
        createdAfter: new Date("2026-11-30T00:00:00Z"),
        limit: 5,
      },
      { headers: { "x-trace": "t1" } },
    );
    const request = server.requests[0];
    expect(request?.url).toBe(
      "/events?type=email.bounced&type=email.complained&email_id=019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47&tag=category%3Awelcome&created_after=2026-11-30T00%3A00%3A00.000Z&limit=5",
    );
    expect(request?.headers.authorization).toBe("Bearer ts_test");
    expect(request?.headers["user-agent"]).toMatch(/^thrive-send-js\//);
    expect(request?.headers["x-client"]).toBe("a");
    expect(request?.headers["x-trace"]).toBe("t1");
  });

  it("refuses a path parameter that would change the path, without a request", async () => {
    const server = await scripted(ok({}));
    for (const id of ["", ".", ".."]) {
      const { error } = await client(server.url).emails.get(id);
      expect(error).toMatchObject({ name: "invalid_parameter", statusCode: null });
    }
    expect(server.requests).toHaveLength(0);
    await client(server.url).suppressions.get("a/b@example.com");
    expect(server.requests[0]?.url).toBe("/suppressions/a%2Fb%40example.com");
  });

  it("needs an API key", () => {
    const saved = process.env.THRIVE_API_KEY;
    delete process.env.THRIVE_API_KEY;
    try {
      expect(() => new ThriveSend()).toThrow(/Missing API key/);
    } finally {
      if (saved !== undefined) process.env.THRIVE_API_KEY = saved;
    }
  });
});
