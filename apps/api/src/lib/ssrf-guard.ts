import { promises as dns, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { SafeFetchError } from "./safe-fetch-error.ts";
import { type Cidr, parseCidrs, refusalReason } from "./ssrf.ts";

/** Resolves a host name to all its addresses (the system resolver by default). */
export type Resolve = (
  hostname: string,
  options: { family?: number; hints?: number },
) => Promise<LookupAddress[]>;

export interface SsrfGuardOptions {
  /** CIDRs that are reachable even though refused otherwise (`127.0.0.0/8` in development). */
  allowList?: string | readonly string[];
  /** Reuse connections between requests (a webhook dispatcher); off for one-off fetches. */
  keepAlive?: boolean;
  resolve?: Resolve;
}

export interface SsrfGuard {
  /** node's `lookup` for net/http: fails the connection when an address is refused. */
  readonly lookup: LookupFunction;
  /** Why a connection to this IP address is refused, or null (see ssrf.ts). */
  refusalReason(address: string): string | null;
  /** Agents whose every socket is connected through `lookup`, pooled for this guard alone. */
  readonly httpAgent: http.Agent;
  readonly httpsAgent: https.Agent;
  /** Closes the pooled connections. */
  close(): void;
}

const systemResolve: Resolve = (hostname, options) =>
  dns.lookup(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true });

/**
 * A guard for outgoing HTTP requests to URLs that clients give us. The check happens in the
 * socket's own DNS lookup, on the addresses it then connects to: there is no window between
 * checking a name and connecting (DNS rebinding), whatever the TTL.
 */
export function createSsrfGuard(options: SsrfGuardOptions = {}): SsrfGuard {
  const allowList = parseCidrs(options.allowList ?? []);
  const lookup = guardedLookup(allowList, options.resolve ?? systemResolve);
  const keepAlive = options.keepAlive ?? false;
  // The lookup on the agent too: a request made with these agents cannot bypass it.
  const httpAgent = new http.Agent({ keepAlive, lookup });
  const httpsAgent = new https.Agent({ keepAlive, lookup });
  return {
    lookup,
    refusalReason: (address) => refusalReason(address, allowList),
    httpAgent,
    httpsAgent,
    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}

/**
 * Resolves as `resolve` does, and fails with a `blocked_address` SafeFetchError when ANY of
 * the addresses is refused: with several, the socket may try each in turn (happy eyeballs),
 * so they must all be safe.
 */
export function guardedLookup(allowList: readonly Cidr[], resolve: Resolve): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { family: familyNumber(options.family), hints: options.hints }).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(new SafeFetchError("connection_failed", { reason: "ENOTFOUND" }), "", 0);
          return;
        }
        for (const { address } of addresses) {
          const reason = refusalReason(address, allowList);
          if (reason) {
            const detail = `${reason}: ${hostname} is ${address}`;
            callback(new SafeFetchError("blocked_address", { reason: detail }), "", 0);
            return;
          }
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]?.address ?? "", addresses[0]?.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

function familyNumber(family: number | "IPv4" | "IPv6" | undefined): number | undefined {
  if (family === "IPv4") return 4;
  if (family === "IPv6") return 6;
  return family;
}
