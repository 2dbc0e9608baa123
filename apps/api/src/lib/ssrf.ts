import ipaddr from "ipaddr.js";

/**
 * Which addresses a server-side fetch (attachments by URL, webhooks) may connect to. Anything
 * that reaches the host itself, its private network or the cloud's metadata service is
 * refused, including IPv6 spellings that carry such an IPv4 address inside them.
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;
export type Cidr = [Address, number];

function table(classes: Record<string, string[]>): [string, Cidr[]][] {
  return Object.entries(classes).map(([name, cidrs]) => [
    name,
    cidrs.map((cidr) => ipaddr.parseCIDR(cidr)),
  ]);
}

// First match wins: broadcast before the 240/4 it lies in.
const REFUSED_V4 = table({
  unspecified: ["0.0.0.0/8"],
  loopback: ["127.0.0.0/8"],
  private: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"],
  linkLocal: ["169.254.0.0/16"],
  carrierGradeNat: ["100.64.0.0/10"],
  multicast: ["224.0.0.0/4"],
  broadcast: ["255.255.255.255/32"],
  documentation: ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"],
  benchmarking: ["198.18.0.0/15"],
  // IETF protocol assignments, the retired 6to4 relay anycast, the old class E.
  reserved: ["192.0.0.0/24", "192.88.99.0/24", "240.0.0.0/4"],
});

const REFUSED_V6 = table({
  unspecified: ["::/128"],
  loopback: ["::1/128"],
  linkLocal: ["fe80::/10"],
  siteLocal: ["fec0::/10"],
  uniqueLocal: ["fc00::/7"],
  multicast: ["ff00::/8"],
  documentation: ["2001:db8::/32", "3fff::/20"],
  benchmarking: ["2001:2::/48"],
  // Teredo tunnels (the client's IPv4 address hides inside, obfuscated); unused today.
  teredo: ["2001::/32"],
  orchid: ["2001:10::/28", "2001:20::/28"],
  // Local-use NAT64 (RFC 8215): translates to whatever IPv4 network the operator chose.
  nat64Local: ["64:ff9b:1::/48"],
});

/** Forms that carry an IPv4 address, and where: parts 6-7 or, for 6to4, parts 1-2. */
const EMBEDDING_V6: [string, Cidr, number][] = [
  ["ipv4Mapped", ipaddr.parseCIDR("::ffff:0:0/96"), 6],
  ["ipv4Translated", ipaddr.parseCIDR("::ffff:0:0:0/96"), 6],
  ["nat64", ipaddr.parseCIDR("64:ff9b::/96"), 6],
  ["6to4", ipaddr.parseCIDR("2002::/16"), 1],
  ["ipv4Compatible", ipaddr.parseCIDR("::/96"), 6],
];

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR("2000::/3");

/**
 * Parses CIDRs (`127.0.0.0/8`, `::1/128`; a bare address is one host), as a list or as one
 * comma-separated string (an environment variable). Throws on an invalid entry: this is
 * configuration, read at start-up.
 */
export function parseCidrs(entries: string | readonly string[]): Cidr[] {
  const list = typeof entries === "string" ? entries.split(",") : entries;
  return list
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
      if (ipaddr.isValid(entry)) {
        const address = ipaddr.parse(entry);
        return [address, address.kind() === "ipv4" ? 32 : 128];
      }
      throw new Error(`not a CIDR or an IP address: ${JSON.stringify(entry)}`);
    });
}

/**
 * Why a connection to `address` is refused, as the name of its class (`loopback`, `private`,
 * `linkLocal`, ...; `loopback (ipv4Mapped)` for an IPv4 class inside an IPv6 form), or null
 * when it is allowed. An address inside a CIDR of `allowList` is always allowed.
 */
export function refusalReason(address: string, allowList: readonly Cidr[] = []): string | null {
  let parsed: Address;
  try {
    // ipaddr.js reads `::1.2.3.4` (IPv4-compatible) as `::ffff:1.2.3.4`; `::0:1.2.3.4` is the
    // same address, and parsed as what it is.
    parsed = ipaddr.parse(address.replace(/^::(?=\d+\.)/, "::0:"));
  } catch {
    return "invalid";
  }
  // An IPv4-mapped address is the IPv4 address itself on a dual-stack socket.
  const destination =
    parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()
      ? (parsed as ipaddr.IPv6).toIPv4Address()
      : parsed;
  if (allowed(destination, allowList) || allowed(parsed, allowList)) return null;
  return parsed.kind() === "ipv4"
    ? classifyV4(parsed as ipaddr.IPv4)
    : classifyV6(parsed as ipaddr.IPv6);
}

function allowed(address: Address, allowList: readonly Cidr[]): boolean {
  return allowList.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}

function classifyV4(address: ipaddr.IPv4): string | null {
  return matchClass(address, REFUSED_V4);
}

function classifyV6(address: ipaddr.IPv6): string | null {
  // Checked before the embeddings: `::` and `::1` lie in the IPv4-compatible ::/96.
  const own = matchClass(address, REFUSED_V6);
  if (own) return own;
  for (const [form, range, at] of EMBEDDING_V6) {
    if (!address.match(range)) continue;
    const embedded = embeddedV4(address, at);
    const inner = classifyV4(embedded);
    if (inner) return `${inner} (${form})`;
    // Deprecated since 2006 (RFC 4291): nothing legitimate is reached this way.
    return form === "ipv4Compatible" ? form : null;
  }
  return address.match(GLOBAL_UNICAST_V6) ? null : "reserved";
}

function matchClass(address: Address, classes: [string, Cidr[]][]): string | null {
  for (const [name, cidrs] of classes) {
    if (cidrs.some(([range, bits]) => address.match(range, bits))) return name;
  }
  return null;
}

function embeddedV4(address: ipaddr.IPv6, at: number): ipaddr.IPv4 {
  const high = address.parts[at] ?? 0;
  const low = address.parts[at + 1] ?? 0;
  return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
}
