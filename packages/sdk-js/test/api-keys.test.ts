/** apiKeys.* and suppressions.* against the live server. */
import { describe, expect, it } from "vitest";
import { live, liveClient, unique } from "./support/client.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

describe("apiKeys", () => {
  it("creates a sending key, lists it and revokes it", async () => {
    const name = unique("sender").slice(0, 50);
    const created = await thrive.apiKeys.create({ name, permission: "sending_access" });
    expect(created.error).toBeNull();
    const { id, token } = created.data ?? { id: "", token: "" };
    expect(token).toMatch(/^ts_/);

    const listed = [];
    for await (const key of thrive.apiKeys.list({ limit: 100 })) listed.push(key);
    const entry = listed.find((key) => key.id === id);
    expect(entry).toMatchObject({ name, permission: "sending_access", last_used_at: null });
    expect(token.startsWith(entry?.token_prefix ?? "-")).toBe(true);

    const sender = liveClient(token);
    const sent = await sender.emails.send({
      from: "hello@acme.dev",
      to: "k@example.com",
      subject: unique("Key"),
      text: "sent with a sending key",
    });
    expect(sent.error).toBeNull();
    const restricted = await sender.emails.list();
    expect(restricted.error).toMatchObject({ statusCode: 401, name: "restricted_api_key" });

    const removed = await thrive.apiKeys.remove(id);
    expect(removed.data).toEqual({ object: "api_key", id, deleted: true });
    const revoked = await sender.emails.send({
      from: "a@acme.dev",
      to: "k@example.com",
      subject: "x",
      text: "x",
    });
    expect(revoked.error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });
  });

  it("creates a key with permissions of its own, and it may do exactly those", async () => {
    const created = await thrive.apiKeys.create({
      name: "reader",
      permissions: ["emails:read", "usage:read"],
    });
    expect(created.error).toBeNull();
    const listed = [];
    for await (const key of thrive.apiKeys.list({ limit: 100 })) listed.push(key);
    expect(listed.find((key) => key.id === created.data?.id)).toMatchObject({
      permission: "custom",
      permissions: ["emails:read", "usage:read"],
    });
    const reader = liveClient(created.data?.token);
    expect((await reader.emails.list()).error).toBeNull();
    expect((await reader.usage.get()).error).toBeNull();
    expect((await reader.domains.list()).error).toMatchObject({
      statusCode: 401,
      name: "restricted_api_key",
    });
  });

  it("limits a sending key to a domain", async () => {
    const { data: domain } = await thrive.domains.create({ name: `${unique("keyed")}.acme.dev` });
    const created = await thrive.apiKeys.create({
      name: "domain key",
      permission: "sending_access",
      domainId: domain?.id,
    });
    expect(created.error).toBeNull();
    const listed = [];
    for await (const key of thrive.apiKeys.list({ limit: 100 })) listed.push(key);
    expect(listed.find((key) => key.id === created.data?.id)?.domain_id).toBe(domain?.id);
  });

  it("answers errors as data", async () => {
    expect((await thrive.apiKeys.remove(MISSING)).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
    const { data } = await thrive.apiKeys.create({ name: "theirs?" });
    expect((await other.apiKeys.remove(data?.id ?? "")).error?.name).toBe("not_found");
    expect((await thrive.apiKeys.create({ name: "" })).error?.name).toBe("validation_error");
  });
});

describe("suppressions", () => {
  it("adds, reads (by id and address), lists and removes a suppression", async () => {
    const email = `${unique("bounced")}@example.com`;
    const added = await thrive.suppressions.add({ email });
    expect(added.error).toBeNull();
    const id = added.data?.id ?? "";
    expect(added.data).toEqual({ object: "suppression", id });
    expect((await thrive.suppressions.add({ email })).data?.id).toBe(id);

    const byId = await thrive.suppressions.get(id);
    expect(byId.data).toMatchObject({ object: "suppression", id, email, origin: "manual" });
    expect((await thrive.suppressions.get(email)).data?.id).toBe(id);

    const manual: string[] = [];
    for await (const entry of thrive.suppressions.list({ origin: "manual", limit: 100 })) {
      manual.push(entry.email);
    }
    expect(manual).toContain(email);
    const bounces = await thrive.suppressions.list({ origin: "bounce" });
    expect(bounces.data?.data.map((entry) => entry.email)).not.toContain(email);

    // Sending to it now is suppressed, not delivered.
    const { data: sent } = await thrive.emails.send({
      from: "a@acme.dev",
      to: email,
      subject: "x",
      text: "x",
    });
    expect(sent?.id).toBeTruthy();

    const removed = await thrive.suppressions.remove(email);
    expect(removed.data).toEqual({ object: "suppression", id, deleted: true });
    expect((await thrive.suppressions.get(id)).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
  });

  it("adds and removes suppressions in batches", async () => {
    const emails = [`${unique("a")}@example.com`, `${unique("b")}@example.com`];
    const added = await thrive.suppressions.batch.add({ emails });
    expect(added.error).toBeNull();
    expect(added.data?.data).toHaveLength(2);

    const byEmail = await thrive.suppressions.batch.remove({ emails: [emails[0] ?? ""] });
    expect(byEmail.data?.data).toEqual([
      { object: "suppression", id: added.data?.data[0]?.id, deleted: true },
    ]);
    const byId = await thrive.suppressions.batch.remove({ ids: [added.data?.data[1]?.id ?? ""] });
    expect(byId.data?.data).toEqual([
      { object: "suppression", id: added.data?.data[1]?.id, deleted: true },
    ]);
    expect((await thrive.suppressions.get(emails[1] ?? "")).error?.name).toBe("not_found");
  });

  it("answers errors as data", async () => {
    expect((await thrive.suppressions.remove(MISSING)).error?.name).toBe("not_found");
    const email = `${unique("mine")}@example.com`;
    await thrive.suppressions.add({ email });
    expect((await other.suppressions.get(email)).error?.name).toBe("not_found");
    expect((await thrive.suppressions.batch.add({ emails: [] })).error?.name).toBe(
      "validation_error",
    );
  });
});
