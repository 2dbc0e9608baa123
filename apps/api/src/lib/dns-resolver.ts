import { Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import { domainToASCII } from "node:url";

export interface DnsResolverOptions {
  /**
   * Name servers as "host" or "host:port", IPv6 as "[::1]:53" (parseDnsServers reads them from
   * DNS_SERVERS). The system's resolvers when empty or not set.
   */
  servers?: readonly string[];
  /** How long one try waits for a server's answer. */
  timeoutMs?: number;
  /** Tries per server before a lookup gives up. */
  tries?: number;
}

export type DnsRecordType = "A" | "AAAA" | "CNAME" | "MX" | "NS" | "PTR" | "TXT";

export interface MxRecord {
  exchange: string;
  priority: number;
}

/** The records of each type as `resolve` returns them: TXT as each record's character-strings. */
export interface DnsRecords {
  A: string[];
  AAAA: string[];
  CNAME: string[];
  MX: MxRecord[];
  NS: string[];
  PTR: string[];
  TXT: string[][];
}

/**
 * Why an answer has no records: the name does not exist (NXDOMAIN), it exists without records
 * of this type (NODATA), or it is not a name the DNS can hold (too long, an empty label).
 */
export type DnsAbsence = "nxdomain" | "nodata" | "bad_name";

export interface DnsAnswer<T extends DnsRecordType> {
  records: DnsRecords[T];
  /** Set when `records` is empty, to say why. */
  absence: DnsAbsence | null;
}

export interface DnsResolver {
  /** Each TXT record as one string, its character-strings joined (as DKIM and SPF read them). */
  txt(name: string): Promise<string[]>;
  /** Most preferred first. */
  mx(name: string): Promise<MxRecord[]>;
  cname(name: string): Promise<string[]>;
  a(name: string): Promise<string[]>;
  aaaa(name: string): Promise<string[]>;
  resolve<T extends DnsRecordType>(name: string, rrtype: T): Promise<DnsAnswer<T>>;
}

/**
 * The DNS could not say whether the record exists: the server failed (SERVFAIL), refused, did
 * not answer in time, or could not be reached. Callers must not take it as "no record": a
 * verified domain whose lookup times out stays verified, and is checked again later.
 */
export class DnsTemporaryError extends Error {
  /** node:dns's code: ETIMEOUT, ESERVFAIL, EREFUSED, ECONNREFUSED, ... */
  readonly code: string;
  readonly hostname: string;
  readonly rrtype: DnsRecordType;

  constructor(code: string, hostname: string, rrtype: DnsRecordType, cause?: unknown) {
    super(`DNS lookup of ${rrtype} ${hostname} failed: ${code}`, { cause });
    this.name = "DnsTemporaryError";
    this.code = code;
    this.hostname = hostname;
    this.rrtype = rrtype;
  }
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_TRIES = 2;
const ABSENCE_BY_CODE: Record<string, DnsAbsence> = {
  ENOTFOUND: "nxdomain",
  ENODATA: "nodata",
  EBADNAME: "bad_name",
};

/**
 * Lookups through the given name servers (node:dns's Resolver, c-ares). Names are normalized
 * (lowercase, no trailing dot, U-labels to A-labels); a record that does not exist answers an
 * empty list, and an answer the DNS could not give throws a DnsTemporaryError.
 */
export function createDnsResolver(options: DnsResolverOptions = {}): DnsResolver {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // maxTimeout keeps c-ares from doubling the wait on each retry.
  const resolver = new Resolver({
    timeout: timeoutMs,
    maxTimeout: timeoutMs,
    tries: options.tries ?? DEFAULT_TRIES,
  });
  if (options.servers && options.servers.length > 0) {
    resolver.setServers(options.servers.map(checkServer));
  }

  async function resolve<T extends DnsRecordType>(name: string, rrtype: T): Promise<DnsAnswer<T>> {
    const hostname = normalizeDnsName(name);
    if (!isValidName(hostname)) return { records: [] as DnsRecords[T], absence: "bad_name" };
    try {
      const records = await query(resolver, hostname, rrtype);
      return { records, absence: records.length === 0 ? "nodata" : null };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "EUNKNOWN";
      const absence = ABSENCE_BY_CODE[code];
      if (absence) return { records: [] as DnsRecords[T], absence };
      throw new DnsTemporaryError(code, hostname, rrtype, error);
    }
  }

  return {
    resolve,
    async txt(name) {
      return (await resolve(name, "TXT")).records.map((chunks) => chunks.join(""));
    },
    async mx(name) {
      return (await resolve(name, "MX")).records;
    },
    async cname(name) {
      return (await resolve(name, "CNAME")).records;
    },
    async a(name) {
      return (await resolve(name, "A")).records;
    },
    async aaaa(name) {
      return (await resolve(name, "AAAA")).records;
    },
  };
}

async function query<T extends DnsRecordType>(
  resolver: Resolver,
  hostname: string,
  rrtype: T,
): Promise<DnsRecords[T]> {
  const records: DnsRecords[DnsRecordType] = await (async () => {
    switch (rrtype) {
      case "A":
        return resolver.resolve4(hostname);
      case "AAAA":
        return resolver.resolve6(hostname);
      case "CNAME":
        return (await resolver.resolveCname(hostname)).map(normalizeDnsName);
      case "MX":
        return (await resolver.resolveMx(hostname))
          .map(({ exchange, priority }) => ({ exchange: normalizeDnsName(exchange), priority }))
          .sort((left, right) => left.priority - right.priority);
      case "NS":
        return (await resolver.resolveNs(hostname)).map(normalizeDnsName);
      case "PTR":
        return (await resolver.resolvePtr(hostname)).map(normalizeDnsName);
      case "TXT":
        // c-ares hands the bytes over as latin1; records are UTF-8 when not plain ASCII.
        return (await resolver.resolveTxt(hostname)).map((chunks) =>
          chunks.map((chunk) => Buffer.from(chunk, "latin1").toString("utf8")),
        );
      default:
        throw new TypeError(`unsupported DNS record type ${String(rrtype)}`);
    }
  })();
  return records as DnsRecords[T];
}

/** Lowercase, without the root's trailing dot, internationalized labels as A-labels. */
export function normalizeDnsName(name: string): string {
  const trimmed = name.trim().toLowerCase().replace(/\.$/, "");
  // domainToASCII would also reject names a TXT lookup needs, like "_dmarc.": only IDNs go through it.
  if (/^[\x20-\x7e]*$/.test(trimmed)) return trimmed;
  return domainToASCII(trimmed) || trimmed;
}

/** Whether the DNS can hold the name at all (RFC 1035 2.3.4): labels of 1 to 63 octets, 253 in all. */
function isValidName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= 253 &&
    name.split(".").every((label) => label.length > 0 && label.length <= 63)
  );
}

/** DNS_SERVERS ("127.0.0.1:5353,1.1.1.1,[::1]:53") as a server list; undefined when unset or empty. */
export function parseDnsServers(value: string | undefined): string[] | undefined {
  const servers = (value ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map(checkServer);
  return servers.length > 0 ? servers : undefined;
}

/** Refuses, with a message naming it, a server entry setServers would reject or misread. */
function checkServer(entry: string): string {
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry) ?? /^([^:]+)(?::(\d+))?$/.exec(entry);
  const host = match?.[1] ?? (isIP(entry) === 6 ? entry : "");
  const port = match?.[2];
  const validPort = port === undefined || (Number(port) >= 1 && Number(port) <= 65_535);
  if (isIP(host) === 0 || !validPort) {
    throw new Error(
      `invalid DNS server "${entry}": expected an IP address with an optional port, IPv6 in brackets ("[::1]:53")`,
    );
  }
  return entry;
}
