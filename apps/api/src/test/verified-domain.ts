import type { TestDnsServer } from "./dns-server.ts";
import { eventually, type TestApi } from "./harness.ts";

/**
 * Adds a domain through the API, publishes the records it asks for (and a DMARC policy) on the
 * test DNS server, and waits until the worker has verified it. Needs a worker running with
 * the test DNS server in `dnsServers`.
 */
export async function createVerifiedDomain(
  api: TestApi,
  dns: TestDnsServer,
  key: string,
  name: string,
  settings: Record<string, unknown> = {},
): Promise<string> {
  const created = await api.call("POST", "/domains", { key, json: { name, ...settings } });
  if (created.status !== 200) throw new Error(`POST /domains: ${JSON.stringify(created.body)}`);
  for (const record of created.body.records as { name: string; type: string; value: string }[]) {
    const host = `${record.name}.${name}`;
    if (record.type === "MX") dns.set(host, "MX", [{ exchange: record.value, priority: 10 }]);
    else if (record.type === "TXT") dns.set(host, "TXT", [record.value]);
  }
  dns.set(`_dmarc.${name}`, "TXT", ["v=DMARC1; p=reject"]);
  await api.call("POST", `/domains/${created.body.id}/verify`, { key });
  await eventually(
    async () =>
      (await api.call("GET", `/domains/${created.body.id}`, { key })).body.status === "verified",
    15_000,
    `${name} verified`,
  );
  return created.body.id;
}
