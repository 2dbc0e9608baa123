/**
 * apiKeys.rotate, auditLogs.*, usage.get and requestSigning.* against the live server, and the
 * client's `signingSecret`, which signs every request.
 */
import { describe, expect, it } from "vitest";
import { liveClient, livePersonClient, unique } from "./support/client.ts";
import { uniqueEmail } from "./support/people.ts";

const thrive = liveClient();
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

describe("apiKeys.rotate", () => {
  it("answers a successor; the old key works until its grace period ends, and rotates once", async () => {
    const { data: created } = await thrive.apiKeys.create({
      name: unique("rotated").slice(0, 50),
      allowedIps: ["127.0.0.1/32", "::1"],
    });
    const before = Date.now();
    const rotated = await thrive.apiKeys.rotate(created?.id ?? "", { gracePeriodSeconds: 600 });
    expect(rotated.error).toBeNull();
    expect(rotated.data?.token).toMatch(/^ts_/);
    expect(rotated.data?.token).not.toBe(created?.token);
    expect(rotated.data?.previous?.id).toBe(created?.id);
    const expires = Date.parse(rotated.data?.previous?.expires_at ?? "");
    expect(expires).toBeGreaterThanOrEqual(before + 590_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 610_000);

    // Both work for now (from 127.0.0.1, which both allow).
    for (const token of [created?.token ?? "", rotated.data?.token ?? ""]) {
      expect((await liveClient(token).domains.list({ limit: 1 })).error).toBeNull();
    }
    const listed = [];
    for await (const key of thrive.apiKeys.list({ limit: 100 })) listed.push(key);
    expect(listed.find((key) => key.id === rotated.data?.id)?.allowed_ips).toEqual([
      "127.0.0.1/32",
      "::1/128",
    ]);

    expect((await thrive.apiKeys.rotate(created?.id ?? "")).error).toMatchObject({
      statusCode: 409,
      name: "invalid_state",
    });
    expect((await thrive.apiKeys.rotate(MISSING)).error?.name).toBe("not_found");
    expect(
      (await thrive.apiKeys.rotate(rotated.data?.id ?? "", { gracePeriodSeconds: -1 })).error?.name,
    ).toBe("validation_error");
  });

  it("creates a key that expires", async () => {
    const expiresAt = new Date(Date.now() + 3_600_000);
    const { data } = await thrive.apiKeys.create({ name: "expiring", expiresAt });
    const listed = [];
    for await (const key of thrive.apiKeys.list({ limit: 100 })) listed.push(key);
    expect(Date.parse(listed.find((key) => key.id === data?.id)?.expires_at ?? "")).toBe(
      expiresAt.getTime(),
    );
  });
});

describe("auditLogs", () => {
  it("lists the entries of an object, newest first, and exports them as NDJSON and CSV", async () => {
    const { data: key } = await thrive.apiKeys.create({ name: unique("audited").slice(0, 50) });
    await thrive.apiKeys.remove(key?.id ?? "");
    const filters = { action: "api_key.*", targetType: "api_key", targetId: key?.id ?? "" };

    const listed = await thrive.auditLogs.list(filters);
    expect(listed.error).toBeNull();
    expect(listed.data?.data.map((entry) => entry.action)).toEqual([
      "api_key.revoked",
      "api_key.created",
    ]);
    expect(listed.data?.data[0]).toMatchObject({
      object: "audit_log",
      actor: { type: "api_key" },
      target: { type: "api_key", id: key?.id },
    });
    const paged = [];
    for await (const entry of thrive.auditLogs.list({ ...filters, limit: 1 })) paged.push(entry);
    expect(paged.map((entry) => entry.id)).toEqual(listed.data?.data.map((entry) => entry.id));

    const ndjson = await thrive.auditLogs.export(filters);
    expect(ndjson.error).toBeNull();
    const exported = [];
    for await (const entry of ndjson.data ?? []) exported.push(entry.action);
    // Oldest first.
    expect(exported).toEqual(["api_key.created", "api_key.revoked"]);

    const csv = await thrive.auditLogs.export({ ...filters, format: "csv" });
    expect(csv.headers?.["content-type"]).toContain("text/csv");
    const lines = [];
    for await (const line of csv.data ?? []) lines.push(line);
    expect(lines[0]).toMatch(/^id,created_at,action,/);
    expect(lines.slice(1).map((line) => line.split(",")[2])).toEqual([
      "api_key.created",
      "api_key.revoked",
    ]);

    const future = await thrive.auditLogs.list({
      ...filters,
      createdAfter: new Date(Date.now() + 60_000),
    });
    expect(future.data?.data).toEqual([]);
    expect((await thrive.auditLogs.list({ action: "Not an action" })).error?.name).toBe(
      "validation_error",
    );
    expect((await thrive.auditLogs.export({ actorType: "robot" as "user" })).error).toMatchObject({
      statusCode: 422,
      name: "validation_error",
    });
  });
});

describe("usage", () => {
  it("answers the days of a range, and refuses a backwards one", async () => {
    const { data, error } = await thrive.usage.get({ start: "2026-01-01", end: "2026-01-31" });
    expect(error).toBeNull();
    expect(data).toMatchObject({ object: "usage", from: "2026-01-01", to: "2026-01-31" });
    expect(data?.data).toHaveLength(31);
    const recent = await thrive.usage.get();
    expect(recent.data?.data).toHaveLength(30);
    expect(recent.data?.totals.api_calls).toBeGreaterThanOrEqual(0);
    expect(
      (await thrive.usage.get({ start: "2026-02-01", end: "2026-01-01" })).error,
    ).toMatchObject({ statusCode: 422, name: "validation_error" });
  });
});

describe("requestSigning, and a client that signs", () => {
  it("requires signed requests once rotated, until disabled", async () => {
    // An organization of its own: the shared one's requests must stay unsigned.
    const owner = livePersonClient();
    await owner.auth.signUp({
      email: uniqueEmail("signer"),
      password: "correct horse battery staple",
      organizationName: unique("Signed"),
    });
    const { data: key } = await owner.apiKeys.create({ name: "signed" });
    const unsigned = liveClient(key?.token ?? "");
    expect((await unsigned.requestSigning.get()).data).toMatchObject({
      object: "request_signing",
      enabled: false,
    });

    const rotated = await unsigned.requestSigning.rotate();
    expect(rotated.data?.secret).toMatch(/^rss_/);
    expect((await unsigned.domains.list()).error).toMatchObject({
      statusCode: 401,
      name: "invalid_request_signature",
    });

    const signed = liveClient(key?.token ?? "", { signingSecret: rotated.data?.secret ?? "" });
    // The same request three times in a second: each is signed anew, none is a replay.
    const answers = await Promise.all([1, 2, 3].map(() => signed.domains.list({ limit: 1 })));
    expect(answers.map((answer) => answer.error)).toEqual([null, null, null]);
    const created = await signed.domains.create({ name: `${unique("signed")}.example.com` });
    expect(created.error).toBeNull();
    expect((await signed.requestSigning.get()).data?.enabled).toBe(true);
    const wrong = liveClient(key?.token ?? "", { signingSecret: "rss_not_the_secret" });
    expect((await wrong.domains.list()).error?.name).toBe("invalid_request_signature");

    const disabled = await signed.requestSigning.disable();
    expect(disabled.data?.enabled).toBe(false);
    expect((await unsigned.domains.list()).error).toBeNull();
  });
});
