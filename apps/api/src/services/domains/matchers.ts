/** The lookups domain verification needs; lib/dns-resolver.ts provides them over DNS_SERVERS. */
export interface DomainDns {
  txt(name: string): Promise<string[]>;
  mx(name: string): Promise<{ exchange: string; priority: number }[]>;
  cname(name: string): Promise<string[]>;
}

const normalizeHost = (host: string) => host.trim().toLowerCase().replace(/\.$/, "");

/** DKIM tag-value list (RFC 6376 §3.2): `p` compared without the whitespace DNS tools add. */
export function dkimMatches(records: string[], publicKey: string): boolean {
  return records.some((record) => {
    const tags = new Map(
      record.split(";").map((tag) => {
        const [name = "", ...value] = tag.split("=");
        return [name.trim().toLowerCase(), value.join("=").replace(/\s+/g, "")] as const;
      }),
    );
    return tags.get("p") === publicKey && (tags.get("k") ?? "rsa") === "rsa";
  });
}

/**
 * The SPF record must exist once (two `v=spf1` records are a permerror, RFC 7208 §4.5) and
 * carry each of our mechanisms, whatever else it authorizes.
 */
export function spfMatches(records: string[], mechanisms: string): boolean {
  const spf = records.filter((record) => /^v=spf1(\s|$)/i.test(record.trim()));
  if (spf.length !== 1) return false;
  const terms = new Set((spf[0] ?? "").toLowerCase().split(/\s+/));
  return mechanisms
    .toLowerCase()
    .split(/\s+/)
    .every((mechanism) => terms.has(mechanism) || terms.has(`+${mechanism}`));
}

export function mxMatches(records: { exchange: string }[], host: string): boolean {
  return records.some((record) => normalizeHost(record.exchange) === normalizeHost(host));
}

export function dmarcMatches(records: string[]): boolean {
  return records.filter((record) => /^v=DMARC1\s*(;|$)/i.test(record.trim())).length === 1;
}

export function cnameMatches(records: string[], host: string): boolean {
  return records.some((record) => normalizeHost(record) === normalizeHost(host));
}
