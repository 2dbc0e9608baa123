import { promises as dns, type LookupAddress } from "node:dns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../test/dns-server.ts";
import { startHttpServer, type TestHttpServer } from "../test/http-server.ts";
import { safeFetch } from "./safe-fetch.ts";
import { SafeFetchError } from "./safe-fetch-error.ts";
import { createSsrfGuard, type Resolve, type SsrfGuard } from "./ssrf-guard.ts";

/**
 * Host names answered by a real DNS server started here: what the system resolver would give
 * for a public name whose owner points it wherever they like.
 */
const records: Record<string, { A?: string[]; AAAA?: string[] }> = {
  "files.test": { A: ["127.0.0.1"] },
  "mixed.test": { A: ["127.0.0.1", "10.0.0.1"] },
  "dual.test": { A: ["127.0.0.1"], AAAA: ["::1"] },
  "metadata.test": { A: ["169.254.169.254"] },
  "mapped.test": { AAAA: ["::ffff:a9fe:a9fe"] },
};
let dnsServer: TestDnsServer;
let http: TestHttpServer;
let received = 0;

beforeAll(async () => {
  dnsServer = await startDnsServer();
  for (const [name, types] of Object.entries(records)) {
    if (types.A) dnsServer.set(name, "A", types.A);
    if (types.AAAA) dnsServer.set(name, "AAAA", types.AAAA);
  }
  http = await startHttpServer((request, response) => {
    received++;
    if (request.url?.startsWith("/redirect")) {
      const to = new URL(request.url, "http://x").searchParams.get("to") ?? "/";
      response.writeHead(302, { location: to });
      response.end();
      return;
    }
    response.end("file");
  });
});

afterAll(async () => {
  await dnsServer.close();
  await http.close();
});

/** Resolution through the test DNS server, in the shape the system resolver answers. */
function testResolve(): Resolve {
  const resolver = new dns.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([dnsServer.address]);
  const none = () => [] as string[];
  return async (hostname, { family }) => {
    const v4 = family === 6 ? [] : await resolver.resolve4(hostname).catch(none);
    const v6 = family === 4 ? [] : await resolver.resolve6(hostname).catch(none);
    return [
      ...v4.map((address) => ({ address, family: 4 })),
      ...v6.map((address) => ({ address, family: 6 })),
    ];
  };
}

function guardAllowing(allowList: string[]): SsrfGuard {
  return createSsrfGuard({ allowList, resolve: testResolve() });
}

function lookup(
  guard: SsrfGuard,
  hostname: string,
  all: boolean,
): Promise<{ address: string | LookupAddress[]; family?: number }> {
  return new Promise((resolve, reject) => {
    guard.lookup(hostname, { all }, (error, address, family) =>
      error ? reject(error) : resolve({ address, family }),
    );
  });
}

async function fetchFailure(url: string, guard: SsrfGuard): Promise<SafeFetchError> {
  const error = await safeFetch(url, { guard, maxRedirects: 2, timeoutMs: 2000 }).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(SafeFetchError);
  return error as SafeFetchError;
}

describe("the guarded lookup", () => {
  it("answers like node's lookup, with one address or all of them", async () => {
    const guard = guardAllowing(["127.0.0.0/8", "::1"]);
    expect(await lookup(guard, "files.test", false)).toEqual({ address: "127.0.0.1", family: 4 });
    expect(await lookup(guard, "dual.test", true)).toEqual({
      address: [
        { address: "127.0.0.1", family: 4 },
        { address: "::1", family: 6 },
      ],
      family: undefined,
    });
  });

  it("refuses a name when any of its addresses is refused", async () => {
    const guard = guardAllowing(["127.0.0.1/32"]);
    await expect(lookup(guard, "mixed.test", true)).rejects.toMatchObject({
      code: "blocked_address",
      reason: "private: mixed.test is 10.0.0.1",
    });
    await expect(lookup(guard, "dual.test", false)).rejects.toMatchObject({
      code: "blocked_address",
      reason: "loopback: dual.test is ::1",
    });
    await expect(lookup(guard, "mapped.test", true)).rejects.toMatchObject({
      code: "blocked_address",
      reason: "linkLocal (ipv4Mapped): mapped.test is ::ffff:169.254.169.254",
    });
  });

  it("answers connection_failed for a name without addresses", async () => {
    const guard = guardAllowing([]);
    await expect(lookup(guard, "nowhere.test", true)).rejects.toMatchObject({
      code: "connection_failed",
      reason: "ENOTFOUND",
    });
  });
});

describe("safeFetch through the guard, with names from DNS", () => {
  it("connects to a name whose addresses are all allowed", async () => {
    const response = await safeFetch(`http://files.test:${http.port}/f`, {
      guard: guardAllowing(["127.0.0.0/8"]),
    });
    expect(response.body.toString()).toBe("file");
  });

  it("sends nothing to a name with a refused address among allowed ones", async () => {
    const before = received;
    const error = await fetchFailure(
      `http://mixed.test:${http.port}/f`,
      guardAllowing(["127.0.0.1/32"]),
    );
    expect(error.code).toBe("blocked_address");
    expect(received).toBe(before);
  });

  it("refuses a redirect to a name that resolves to the metadata address", async () => {
    const to = encodeURIComponent("http://metadata.test/latest/meta-data/");
    const error = await fetchFailure(
      `http://files.test:${http.port}/redirect?to=${to}`,
      guardAllowing(["127.0.0.0/8"]),
    );
    expect(error.code).toBe("blocked_address");
    expect(error.reason).toBe("linkLocal: metadata.test is 169.254.169.254");
  });

  it("checks every connection anew: a name rebound to a refused address is refused", async () => {
    const guard = guardAllowing(["127.0.0.0/8"]);
    // DNS rebinding: the name answers a harmless address first, the metadata address next.
    dnsServer.set("rebind.test", "A", ["127.0.0.1"], { ttl: 0 });
    const first = await safeFetch(`http://rebind.test:${http.port}/f`, { guard });
    expect(first.body.toString()).toBe("file");
    dnsServer.set("rebind.test", "A", ["169.254.169.254"], { ttl: 0 });
    const error = await fetchFailure(`http://rebind.test:${http.port}/f`, guard);
    expect(error.code).toBe("blocked_address");
    expect(error.reason).toBe("linkLocal: rebind.test is 169.254.169.254");
    expect(
      dnsServer.queries.filter((query) => query.type === "A" && query.name === "rebind.test"),
    ).toHaveLength(2);
  });
});
