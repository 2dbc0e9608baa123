import { BlockList, isIP } from "node:net";

export type ScannerVendor =
  | "microsoft"
  | "barracuda"
  | "mimecast"
  | "proofpoint"
  | "cisco"
  | "symantec"
  | "trend_micro";

/** A BlockList of CIDR networks ("17.0.0.0/8", "2620:149::/32"); throws on a malformed one. */
export function networkList(cidrs: readonly string[]): BlockList {
  const list = new BlockList();
  for (const cidr of cidrs) {
    const [address = "", bits = "", extra] = cidr.trim().split("/");
    const family = isIP(address);
    const prefix = Number(bits);
    const maxPrefix = family === 4 ? 32 : 128;
    if (family === 0 || extra !== undefined || !/^\d+$/.test(bits) || prefix > maxPrefix) {
      throw new TypeError(`not a CIDR network: ${cidr}`);
    }
    list.addSubnet(address, prefix, family === 4 ? "ipv4" : "ipv6");
  }
  return list;
}

/**
 * Apple's own address space, as the regional registries record it and Apple's enterprise
 * network guidance lists it (support.apple.com/101555): 17.0.0.0/8 (ARIN, NET-17-0-0-0-1),
 * 2620:149::/32 (ARIN), 2403:300::/32 (APNIC), 2a01:b740::/32 (RIPE). Mail Privacy Protection
 * runs on iCloud Private Relay's infrastructure, whose egress is partly partners' networks
 * (see ClassifyOptions.appleRelayEgress for those).
 */
export const APPLE_NETWORKS = networkList([
  "17.0.0.0/8",
  "2620:149::/32",
  "2403:300::/32",
  "2a01:b740::/32",
]);

/**
 * Mail-filtering networks no mailbox is read from, so a request from them is the gateway's.
 *
 * - Microsoft: Exchange Online Protection, where Defender's Safe Links detonates URLs at
 *   delivery (Microsoft 365 endpoint list, "*.mail.protection.outlook.com" /
 *   "*.protection.outlook.com", IDs 9 and 10). Not the rest of Microsoft: Outlook on the web
 *   loads images through Microsoft's own proxy from other Microsoft ranges, and those are
 *   people's opens. And a Safe Links click a person makes is redirected to their own browser,
 *   so it arrives from their address.
 * - Barracuda: the egress ranges Barracuda publishes for Email Gateway Defense, per region.
 *
 * Mimecast, Proofpoint and Cisco are best recognised by their autonomous systems, which need an
 * ASN database we do not ship, and their browser isolation relays a person's click from their
 * own networks; an operator can add ranges they trust through ClassifyOptions.scannerNetworks.
 */
export const SCANNER_NETWORKS: Partial<Record<ScannerVendor, BlockList>> = {
  microsoft: networkList([
    "40.92.0.0/15",
    "40.107.0.0/16",
    "52.100.0.0/14",
    "104.47.0.0/17",
    "2a01:111:f400::/48",
    "2a01:111:f403::/48",
  ]),
  barracuda: networkList([
    "209.222.82.0/24",
    "3.24.133.128/25",
    "15.222.16.128/25",
    "35.157.190.224/27",
    "18.185.115.192/26",
    "18.184.203.224/27",
    "13.200.136.128/25",
    "35.176.92.96/27",
    "18.133.136.128/26",
    "18.133.136.96/27",
  ]),
};
