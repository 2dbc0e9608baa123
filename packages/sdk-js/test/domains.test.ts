/** domains.* and reputation.* against the live server. */
import { describe, expect, it } from "vitest";
import { live, liveClient, unique } from "./support/client.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

describe("domains", () => {
  it("creates, reads, lists, updates, verifies and deletes a domain", async () => {
    const name = `${unique("sdk")}.acme.dev`;
    const created = await thrive.domains.create({
      name,
      region: "eu-west-1",
      customReturnPath: "bounces",
      trackingSubdomain: "track",
      openTracking: true,
      tls: "enforced",
    });
    expect(created.error).toBeNull();
    expect(created.data).toMatchObject({
      name,
      region: "eu-west-1",
      custom_return_path: "bounces",
      tracking_subdomain: "track",
      open_tracking: true,
      click_tracking: false,
      tls: "enforced",
    });
    const id = created.data?.id ?? "";
    expect(created.data?.records.map((record) => record.record)).toEqual(
      expect.arrayContaining(["DKIM", "SPF", "DMARC"]),
    );

    const fetched = await thrive.domains.get(id);
    expect(fetched.data).toMatchObject({ object: "domain", id, name });

    const listed: string[] = [];
    for await (const domain of thrive.domains.list({ limit: 100 })) listed.push(domain.id);
    expect(listed).toContain(id);

    const updated = await thrive.domains.update({ id, clickTracking: true, tls: "opportunistic" });
    expect(updated).toMatchObject({ data: { object: "domain", id }, error: null });
    expect((await thrive.domains.get(id)).data).toMatchObject({
      click_tracking: true,
      open_tracking: true,
      tls: "opportunistic",
    });

    const verifying = await thrive.domains.verify(id);
    expect(verifying).toMatchObject({ data: { object: "domain", id }, error: null });

    expect((await other.domains.get(id)).error?.name).toBe("not_found");

    const removed = await thrive.domains.remove(id);
    expect(removed.data).toEqual({ object: "domain", id, deleted: true });
    expect((await thrive.domains.get(id)).error).toMatchObject({
      statusCode: 404,
      name: "not_found",
    });
  });

  it("answers errors as data", async () => {
    expect((await thrive.domains.remove(MISSING)).error?.name).toBe("not_found");
    expect((await thrive.domains.verify(MISSING)).error?.name).toBe("not_found");
    const invalid = await thrive.domains.create({ name: "not a domain" });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
  });
});

describe("reputation", () => {
  it("reads rates and resumes a domain and the organization", async () => {
    const { data: domain } = await thrive.domains.create({ name: `${unique("rep")}.acme.dev` });
    const domainId = domain?.id ?? "";

    const all = await thrive.reputation.get();
    expect(all.error).toBeNull();
    expect(all.data).toMatchObject({
      object: "reputation",
      organization: { paused: false },
      thresholds: { bounce_rate: expect.any(Number), complaint_rate: expect.any(Number) },
    });

    const one = await thrive.reputation.get({ domainId });
    expect(one.data?.domains.map((entry) => entry.id)).toEqual([domainId]);

    const resumedDomain = await thrive.reputation.resume({ domainId });
    expect(resumedDomain.error).toBeNull();
    expect(resumedDomain.data?.domains.find((entry) => entry.id === domainId)?.paused).toBe(false);

    const resumed = await thrive.reputation.resume();
    expect(resumed.data?.organization.paused).toBe(false);

    expect((await thrive.reputation.get({ domainId: MISSING })).error?.name).toBe("not_found");
    expect((await other.reputation.resume({ domainId })).error?.name).toBe("not_found");
  });
});
