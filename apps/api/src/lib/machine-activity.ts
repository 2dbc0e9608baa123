import { type BlockList, isIP } from "node:net";
import { isbot } from "isbot";
import { APPLE_NETWORKS, SCANNER_NETWORKS, type ScannerVendor } from "./machine-networks.ts";

export type { ScannerVendor } from "./machine-networks.ts";

export interface TrackingRequest {
  kind: "open" | "click";
  userAgent: string | null | undefined;
  /** The client's address as the edge saw it (IPv4, IPv6 or IPv4-mapped IPv6). */
  ip: string | null | undefined;
  method: string;
  /** Since the email was handed to the receiving server; null when not known. */
  secondsSinceSent: number | null | undefined;
}

/** A mail provider's image proxy: it hides the reader's address, client and (Apple) the moment. */
export type MailProxy = "apple" | "gmail" | "yahoo";

export type MachineReason =
  | "head_request"
  | "no_user_agent"
  | "apple_mpp"
  | "bare_user_agent"
  | `link_scanner:${ScannerVendor}`
  | "image_proxy_click"
  | "headless_browser"
  | "bot"
  | "too_fast";

export interface TrackingVerdict {
  /** True when no person caused this request: do not count it as an open or a click. */
  machine: boolean;
  /** Why it is a machine's; null for a person's. Short and stable: fit for storing. */
  reason: MachineReason | null;
  /** The image proxy it came through, for opens a person did trigger but which say little. */
  proxy: MailProxy | null;
}

export interface ClassifyOptions {
  /** An open or click this soon after sending is a scanner's (default 2 seconds). */
  tooFastSeconds?: number;
  /**
   * iCloud Private Relay's egress ranges, which Mail Privacy Protection also fetches through.
   * Apple publishes them (mask-api.icloud.com/egress-ip-ranges.csv, a large and changing
   * list, so not bundled); loaded into a BlockList, they turn `bare_user_agent` into
   * `apple_mpp` for fetches from relay partners' addresses.
   */
  appleRelayEgress?: BlockList;
  /** More scanner networks, for instance a vendor's ranges an operator has confirmed. */
  scannerNetworks?: Partial<Record<ScannerVendor, BlockList>>;
}

export const DEFAULT_TOO_FAST_SECONDS = 2;

/**
 * Names of vendors in user agents. Most gateways present an ordinary browser's user agent when
 * they fetch a link, so this catches only those that say who they are; their networks and the
 * timing rule catch more.
 */
const SCANNER_USER_AGENTS: [RegExp, ScannerVendor][] = [
  [/barracuda/i, "barracuda"],
  [/mimecast/i, "mimecast"],
  [/proofpoint|urldefense/i, "proofpoint"],
  [/ironport|cisco[ -]?secure[ -]?email/i, "cisco"],
  [/symantec|messagelabs/i, "symantec"],
  [/trend ?micro/i, "trend_micro"],
];

/**
 * Tells opens and clicks people made from those machines made: privacy proxies prefetching,
 * security gateways following every link of every message, crawlers, scripts.
 *
 * Apple Mail Privacy Protection fetches every image of every message on delivery, read or not,
 * with the user agent `Mozilla/5.0` and nothing else (no real browser or mail client sends
 * that): a machine, `apple_mpp` when the address is Apple's or a relay egress the caller
 * supplied, `bare_user_agent` otherwise. Gmail and Yahoo fetch images through their proxies
 * when the reader opens the message: a person's open, so machine=false with `proxy` set, since
 * the address and client it shows are the proxy's. A "click" from an image proxy is not one.
 */
export function classifyTrackingRequest(
  request: TrackingRequest,
  options: ClassifyOptions = {},
): TrackingVerdict {
  if (request.method.toUpperCase() === "HEAD") return machine("head_request");
  const userAgent = request.userAgent?.trim() ?? "";
  if (!userAgent) return machine("no_user_agent");

  const address = normalizeAddress(request.ip);
  const network = address && scannerNetwork(address, options.scannerNetworks);
  if (network) return machine(`link_scanner:${network}`);

  if (userAgent === "Mozilla/5.0") {
    return address && isApple(address, options.appleRelayEgress)
      ? machine("apple_mpp", "apple")
      : machine("bare_user_agent");
  }
  for (const [pattern, vendor] of SCANNER_USER_AGENTS) {
    if (pattern.test(userAgent)) return machine(`link_scanner:${vendor}`);
  }
  if (/headless/i.test(userAgent)) return machine("headless_browser");

  const proxy = imageProxy(userAgent);
  if (proxy && request.kind === "click") return machine("image_proxy_click", proxy);
  // isbot counts the image proxies as bots; they are people's opens here.
  if (!proxy && isbot(userAgent)) return machine("bot");

  const tooFast = options.tooFastSeconds ?? DEFAULT_TOO_FAST_SECONDS;
  const seconds = request.secondsSinceSent;
  if (typeof seconds === "number" && seconds < tooFast) return machine("too_fast", proxy);
  return { machine: false, reason: null, proxy };
}

function machine(reason: MachineReason, proxy: MailProxy | null = null): TrackingVerdict {
  return { machine: true, reason, proxy };
}

function imageProxy(userAgent: string): MailProxy | null {
  if (/GoogleImageProxy|via ggpht\.com/i.test(userAgent)) return "gmail";
  if (/YahooMailProxy/i.test(userAgent)) return "yahoo";
  return null;
}

interface Address {
  ip: string;
  family: "ipv4" | "ipv6";
}

function normalizeAddress(ip: string | null | undefined): Address | null {
  if (!ip) return null;
  // A dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d.
  const bare = ip.toLowerCase().startsWith("::ffff:") && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const version = isIP(bare);
  if (version === 4) return { ip: bare, family: "ipv4" };
  if (version === 6) return { ip: bare, family: "ipv6" };
  return null;
}

function isApple(address: Address, relayEgress: BlockList | undefined): boolean {
  return (
    APPLE_NETWORKS.check(address.ip, address.family) ||
    (relayEgress?.check(address.ip, address.family) ?? false)
  );
}

function scannerNetwork(
  address: Address,
  extra: ClassifyOptions["scannerNetworks"],
): ScannerVendor | null {
  for (const networks of [SCANNER_NETWORKS, extra ?? {}]) {
    for (const [vendor, list] of Object.entries(networks) as [ScannerVendor, BlockList][]) {
      if (list.check(address.ip, address.family)) return vendor;
    }
  }
  return null;
}
