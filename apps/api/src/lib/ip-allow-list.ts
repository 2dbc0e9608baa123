import ipaddr from "ipaddr.js";
import { type Cidr, parseCidrs } from "./ssrf.ts";

/**
 * An API key's `allowed_ips`: CIDRs (`203.0.113.0/24`, `2001:db8::/32`) or single addresses.
 * Stored in their canonical form (`10.0.0.0/8`), so the list a client reads back is the one
 * that is enforced.
 */
export function normalizeCidr(entry: string): string {
  const [cidr] = parseCidrs([entry]);
  if (!cidr) throw new Error(`not a CIDR or an IP address: ${JSON.stringify(entry)}`);
  const [address, bits] = cidr;
  // The network address: `10.1.2.3/8` is `10.0.0.0/8`.
  const network =
    address.kind() === "ipv4"
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  return `${network.toString()}/${bits}`;
}

export function isCidr(entry: string): boolean {
  try {
    normalizeCidr(entry);
    return true;
  } catch {
    return false;
  }
}

export function compileAllowList(entries: readonly string[]): Cidr[] {
  return parseCidrs(entries);
}

/**
 * Whether `ip` (the client's address, lib/client-ip.ts) is inside one of the CIDRs. An
 * IPv4-mapped IPv6 address (`::ffff:203.0.113.7`, a dual-stack socket's view of an IPv4
 * client) is its IPv4 address. No address, or an unreadable one, is never inside.
 */
export function ipAllowed(ip: string | null, allowList: readonly Cidr[]): boolean {
  if (!ip || !ipaddr.isValid(ip)) return false;
  const address = ipaddr.process(ip);
  return allowList.some(
    ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
  );
}
