import { setTimeout as sleep } from "node:timers/promises";
import { startDnsServer, type TestDnsServer } from "../../apps/api/src/test/dns-server.ts";
import type { Cleanup } from "./cleanup.ts";

/** The domain the signed phase sends from; its records live on a DNS server of the bench's. */
export const SIGNING_DOMAIN = "bench-signed.acme.dev";

export interface SigningDns {
  server: TestDnsServer;
  /** What the servers need to verify the domain against it. */
  env: Record<string, string>;
}

/** A real DNS server on loopback that will publish the domain's records. */
export async function startSigningDns(cleanup: Cleanup): Promise<SigningDns> {
  const server = await startDnsServer();
  cleanup.add("stop DNS server", () => server.close());
  return {
    server,
    env: {
      DNS_SERVERS: server.address,
      SPF_MECHANISMS: "ip4:127.0.0.1",
      REQUIRE_VERIFIED_DOMAIN: "true",
    },
  };
}

/**
 * Adds the domain through the API (open and click tracking on), publishes what it asks for,
 * and waits for the worker to verify it, as a user would.
 */
export async function verifySigningDomain(dns: SigningDns, apiUrl: string, token: string) {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path}: ${JSON.stringify(json)}`);
    return json;
  };
  const domain = await call("POST", "/domains", {
    name: SIGNING_DOMAIN,
    open_tracking: true,
    click_tracking: true,
  });
  for (const record of domain.records as { name: string; type: string; value: string }[]) {
    const host = `${record.name}.${SIGNING_DOMAIN}`;
    if (record.type === "MX")
      dns.server.set(host, "MX", [{ exchange: record.value, priority: 10 }]);
    else if (record.type === "TXT") dns.server.set(host, "TXT", [record.value]);
  }
  await call("POST", `/domains/${domain.id}/verify`);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if ((await call("GET", `/domains/${domain.id}`)).status === "verified") return;
    await sleep(100);
  }
  throw new Error(`${SIGNING_DOMAIN} was not verified within 30 s`);
}
