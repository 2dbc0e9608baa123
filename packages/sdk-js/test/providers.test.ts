/** providers.* and system.* against the live server. */
import { describe, expect, it } from "vitest";
import { live, liveClient, unique } from "./support/client.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

describe("providers", () => {
  // Created disabled: an enabled provider would carry the other test files' mail.
  it("creates, reads, lists, updates and deletes SMTP and SES providers", async () => {
    const smtp = await thrive.providers.create({
      type: "smtp",
      name: unique("relay"),
      smtp: {
        host: "127.0.0.1",
        port: 2525,
        security: "none",
        username: "u",
        password: "p",
        finalHop: true,
      },
      priority: 5,
      ratePerSecond: 10,
      enabled: false,
    });
    expect(smtp.error).toBeNull();
    expect(smtp.data).toMatchObject({
      object: "provider",
      type: "smtp",
      priority: 5,
      rate_per_second: 10,
      enabled: false,
      smtp: { host: "127.0.0.1", port: 2525, security: "none", final_hop: true },
    });
    expect(JSON.stringify(smtp.data)).not.toContain('"password"');
    const id = smtp.data?.id ?? "";

    const ses = await thrive.providers.create({
      type: "ses",
      name: unique("ses"),
      ses: {
        region: "eu-west-1",
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        configurationSet: "tracking",
      },
      enabled: false,
    });
    expect(ses.data).toMatchObject({
      type: "ses",
      ses: { region: "eu-west-1", configuration_set: "tracking" },
    });

    expect((await thrive.providers.get(id)).data).toMatchObject({ id, name: smtp.data?.name });
    const listed: string[] = [];
    for await (const provider of thrive.providers.list({ limit: 1 })) listed.push(provider.id);
    expect(listed).toEqual(expect.arrayContaining([id, ses.data?.id]));

    const updated = await thrive.providers.update(id, {
      priority: -3,
      ratePerSecond: null,
      smtp: { port: 2526, finalHop: false, password: null },
    });
    expect(updated.data).toMatchObject({
      id,
      priority: -3,
      rate_per_second: null,
      enabled: false,
      smtp: { host: "127.0.0.1", port: 2526, final_hop: false },
    });
    const sesUpdated = await thrive.providers.update(ses.data?.id ?? "", {
      ses: { configurationSet: null },
    });
    expect(sesUpdated.data?.ses?.configuration_set).toBeNull();

    expect((await other.providers.get(id)).error?.name).toBe("not_found");
    expect((await thrive.providers.remove(id)).data).toEqual({
      object: "provider",
      id,
      deleted: true,
    });
    expect((await thrive.providers.get(id)).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
    await thrive.providers.remove(ses.data?.id ?? "");
  });

  it("answers errors as data", async () => {
    expect((await thrive.providers.update(MISSING, { name: "x" })).error?.name).toBe("not_found");
    const invalid = await thrive.providers.create({
      type: "smtp",
      name: "",
      smtp: { host: "" },
      enabled: false,
    });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
  });
});

describe("system", () => {
  it("answers liveness and readiness", async () => {
    expect(await thrive.system.health()).toMatchObject({ data: { status: "ok" }, error: null });
    expect((await thrive.system.ready()).data).toEqual({
      status: "ready",
      database: "reachable",
      migrations: "applied",
    });
  });
});
