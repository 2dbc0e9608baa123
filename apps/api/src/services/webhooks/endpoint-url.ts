import { isIP } from "node:net";
import ipaddr from "ipaddr.js";
import { validationError } from "../../lib/errors.ts";
import { type Cidr, parseCidrs, refusalReason } from "../../lib/ssrf.ts";

const LOCALHOST = /^(.+\.)?localhost\.?$/i;

/**
 * Refuses, when it is given, an endpoint the worker could never reach: an IP literal (or
 * `localhost`) that is not public, and plain http to anything but the SSRF allow-list (a local
 * receiver in development). A host name is checked when the worker connects, by the SSRF
 * guard's own lookup: what it resolves to can change, so that is the check that counts.
 */
export function checkEndpointUrl(endpoint: string, allowList: readonly string[]): void {
  const url = new URL(endpoint);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  // `localhost` names the loopback whatever DNS says (RFC 6761).
  const address = isIP(host) ? host : LOCALHOST.test(host) ? "127.0.0.1" : null;
  const cidrs = parseCidrs(allowList);
  if (address) {
    const reason = refusalReason(address, cidrs);
    if (reason) {
      throw validationError("The endpoint must be on a public address", [
        { path: "endpoint", message: `is a ${reason} address` },
      ]);
    }
  }
  if (url.protocol === "http:" && !(address && inAllowList(address, cidrs))) {
    throw validationError("The endpoint must use https", [
      { path: "endpoint", message: "must be an https URL" },
    ]);
  }
}

function inAllowList(address: string, cidrs: readonly Cidr[]): boolean {
  // ipaddr.process turns an IPv4-mapped IPv6 address into the IPv4 address it is.
  const parsed = ipaddr.process(address);
  return cidrs.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
}
