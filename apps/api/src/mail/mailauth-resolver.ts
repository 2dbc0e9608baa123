import type { DNSResolver } from "mailauth";
import type { DnsAbsence, DnsRecordType, DnsResolver } from "../lib/dns-resolver.ts";

const SUPPORTED_TYPES = new Set<string>(["A", "AAAA", "CNAME", "MX", "NS", "PTR", "TXT"]);

// The codes node:dns rejects with, which mailauth reads: ENOTFOUND and ENODATA are "no record"
// (a void lookup for SPF, "no key" for DKIM), and DMARC's existence test for the author domain
// tells them apart: NODATA is a name that exists. EBADNAME makes an SPF permerror.
const CODE_BY_ABSENCE: Record<DnsAbsence, string> = {
  nxdomain: "ENOTFOUND",
  nodata: "ENODATA",
  bad_name: "EBADNAME",
};

/**
 * mailauth's `resolver` option (authenticate, dkimVerify, spf, dmarc, arc, bimi) over our
 * resolver, so its lookups go to DNS_SERVERS. mailauth expects node:dns/promises `resolve`:
 * TXT as each record's character-strings, MX as { exchange, priority }, other types as
 * strings, and a missing record rejected with ENOTFOUND / ENODATA. A DnsTemporaryError keeps
 * node's code (ETIMEOUT, ESERVFAIL...), which mailauth reports as a temperror.
 */
export function mailauthResolver(dns: DnsResolver): DNSResolver {
  const resolve = async (name: string, rrtype: string) => {
    const type = rrtype.toUpperCase();
    if (!SUPPORTED_TYPES.has(type)) {
      throw resolveError("ENOTIMP", name, rrtype, `unsupported DNS record type ${rrtype}`);
    }
    const answer = await dns.resolve(name, type as DnsRecordType);
    if (answer.absence) {
      const code = CODE_BY_ABSENCE[answer.absence];
      throw resolveError(code, name, type, `query${type} ${code} ${name}`);
    }
    return answer.records;
  };
  // mailauth's type says string[] | string[][], but for MX it reads { exchange, priority }
  // objects, as node:dns returns them.
  return resolve as DNSResolver;
}

function resolveError(code: string, hostname: string, rrtype: string, message: string): Error {
  return Object.assign(new Error(message), { code, hostname, syscall: `query${rrtype}` });
}
