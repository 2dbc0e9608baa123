import { createSocket, type Socket } from "node:dgram";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer } from "../test/dns-server.ts";
import {
  createDnsResolver,
  DnsTemporaryError,
  normalizeDnsName,
  parseDnsServers,
} from "./dns-resolver.ts";

// Short waits: the failure cases wait out every try.
const FAST = { timeoutMs: 250, tries: 2 };

let dns: TestDnsServer;

beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});

function resolverOf(server: TestDnsServer = dns) {
  return createDnsResolver({ servers: [server.address], ...FAST });
}

function queriesFor(name: string): number {
  return dns.queries.filter((query) => query.name === name).length;
}

/** A UDP port with nothing behind it: queries to it are refused at once (ICMP unreachable). */
async function closedPort(): Promise<number> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A UDP socket that takes queries and never answers: a server that is down behind a firewall. */
async function silentServer(): Promise<Socket> {
  const socket = createSocket("udp4");
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
  return socket;
}

async function temporaryError(lookup: Promise<unknown>): Promise<DnsTemporaryError> {
  const error = await lookup.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(DnsTemporaryError);
  return error as DnsTemporaryError;
}

describe("TXT", () => {
  it("joins each record's character-strings and keeps records apart", async () => {
    dns.set("txt.example.test", "TXT", [["v=DKIM1; k=rsa; ", "p=MIIBIjAN"], "v=spf1 -all"]);
    const resolver = resolverOf();

    expect(await resolver.txt("txt.example.test")).toEqual([
      "v=DKIM1; k=rsa; p=MIIBIjAN",
      "v=spf1 -all",
    ]);
    expect((await resolver.resolve("txt.example.test", "TXT")).records).toEqual([
      ["v=DKIM1; k=rsa; ", "p=MIIBIjAN"],
      ["v=spf1 -all"],
    ]);
  });

  it("reassembles a long value that the server split into 255-byte strings", async () => {
    const value = `v=DKIM1; k=rsa; p=${"A".repeat(580)}`;
    dns.set("long.example.test", "TXT", [value]);
    const resolver = resolverOf();

    const answer = await resolver.resolve("long.example.test", "TXT");
    expect(answer.records[0]?.map((chunk) => chunk.length)).toEqual([255, 255, 88]);
    expect(await resolver.txt("long.example.test")).toEqual([value]);
  });

  it("gets an answer too large for UDP whole, over TCP", async () => {
    const value = "x".repeat(4000);
    dns.set("huge.example.test", "TXT", [value]);

    expect(await resolverOf().txt("huge.example.test")).toEqual([value]);
    const transports = dns.queries
      .filter((query) => query.name === "huge.example.test")
      .map((query) => query.transport);
    expect(transports).toEqual(["udp", "tcp"]);
  });

  it("reads UTF-8 text as UTF-8", async () => {
    dns.set("utf8.example.test", "TXT", ["état=défini"]);
    expect(await resolverOf().txt("utf8.example.test")).toEqual(["état=défini"]);
  });
});

describe("MX, CNAME, A, AAAA", () => {
  it("lists MX records most preferred first", async () => {
    dns.set("mx.example.test", "MX", [
      { exchange: "backup.example.test", priority: 20 },
      { exchange: "MX1.Example.Test", priority: 5 },
      { exchange: "mx2.example.test", priority: 10 },
    ]);

    expect(await resolverOf().mx("mx.example.test")).toEqual([
      { exchange: "mx1.example.test", priority: 5 },
      { exchange: "mx2.example.test", priority: 10 },
      { exchange: "backup.example.test", priority: 20 },
    ]);
  });

  it("answers a CNAME's target, and other types through the alias", async () => {
    dns.set("sel1._domainkey.cname.test", "CNAME", ["sel1.dkim.provider.test"]);
    dns.set("sel1.dkim.provider.test", "TXT", ["v=DKIM1; p=KEY"]);
    const resolver = resolverOf();

    expect(await resolver.cname("sel1._domainkey.cname.test")).toEqual(["sel1.dkim.provider.test"]);
    expect(await resolver.txt("sel1._domainkey.cname.test")).toEqual(["v=DKIM1; p=KEY"]);
    expect(await resolver.cname("sel1.dkim.provider.test")).toEqual([]);
  });

  it("answers A and AAAA addresses", async () => {
    dns.set("host.example.test", "A", ["192.0.2.10", "192.0.2.11"]);
    dns.set("host.example.test", "AAAA", ["2001:db8::10"]);
    const resolver = resolverOf();

    expect((await resolver.a("host.example.test")).sort()).toEqual(["192.0.2.10", "192.0.2.11"]);
    expect(await resolver.aaaa("host.example.test")).toEqual(["2001:db8::10"]);
  });

  it("normalizes names: case, trailing dot, internationalized labels", async () => {
    dns.set("case.example.test", "TXT", ["found"]);
    dns.set("xn--bcher-kva.example.test", "TXT", ["idn"]);
    const resolver = resolverOf();

    expect(await resolver.txt("CASE.Example.TEST.")).toEqual(["found"]);
    expect(await resolver.txt("Bücher.example.test")).toEqual(["idn"]);
    expect(normalizeDnsName(" _DMARC.Example.COM. ")).toBe("_dmarc.example.com");
  });
});

describe("records that do not exist", () => {
  it("answers NXDOMAIN as an empty list", async () => {
    const resolver = resolverOf();

    expect(await resolver.txt("missing.example.test")).toEqual([]);
    expect(await resolver.resolve("missing.example.test", "TXT")).toEqual({
      records: [],
      absence: "nxdomain",
    });
  });

  it("answers NODATA (the name exists, not the type) as an empty list", async () => {
    dns.set("nodata.example.test", "A", ["192.0.2.1"]);
    dns.set("sel._domainkey.nodata.example.test", "TXT", ["v=DKIM1; p=KEY"]);
    const resolver = resolverOf();

    expect(await resolver.txt("nodata.example.test")).toEqual([]);
    expect(await resolver.resolve("nodata.example.test", "MX")).toEqual({
      records: [],
      absence: "nodata",
    });
    // A name with only names below it exists, without records of its own.
    expect((await resolver.resolve("_domainkey.nodata.example.test", "TXT")).absence).toBe(
      "nodata",
    );
  });

  it("answers names the DNS cannot hold as empty, without asking", async () => {
    const resolver = resolverOf();
    const before = dns.queries.length;

    for (const name of ["", ".", "a..example.test", `${"a".repeat(64)}.example.test`]) {
      expect(await resolver.resolve(name, "TXT")).toEqual({ records: [], absence: "bad_name" });
    }
    expect(await resolver.txt(`${"a.".repeat(127)}test`)).toEqual([]);
    expect(dns.queries.length).toBe(before);
  });

  it("answers a name c-ares refuses to send as empty", async () => {
    expect(await resolverOf().resolve("white space.example.test", "TXT")).toEqual({
      records: [],
      absence: "bad_name",
    });
  });
});

describe("answers the DNS could not give", () => {
  it("throws DnsTemporaryError on SERVFAIL", async () => {
    dns.set("servfail.example.test", "TXT", ["v=spf1 -all"]);
    dns.failNext("servfail.example.test", "SERVFAIL", 10);

    const error = await temporaryError(resolverOf().txt("servfail.example.test"));
    expect(error).toMatchObject({
      code: "ESERVFAIL",
      hostname: "servfail.example.test",
      rrtype: "TXT",
    });
  });

  it("throws DnsTemporaryError when the server refuses", async () => {
    dns.failNext("refused.example.test", "REFUSED", 10);
    const error = await temporaryError(resolverOf().mx("refused.example.test"));
    expect(error.code).toBe("EREFUSED");
  });

  it("throws DnsTemporaryError on timeout after every try", async () => {
    dns.set("slow.example.test", "TXT", ["v=spf1 -all"]);
    dns.failNext("slow.example.test", "timeout", 10);

    const error = await temporaryError(resolverOf().txt("slow.example.test"));
    expect(error.code).toBe("ETIMEOUT");
    expect(queriesFor("slow.example.test")).toBe(FAST.tries);
  });

  it("gets the answer when only the first try goes unanswered", async () => {
    dns.set("flaky.example.test", "TXT", ["v=spf1 -all"]);
    dns.failNext("flaky.example.test", "timeout");

    expect(await resolverOf().txt("flaky.example.test")).toEqual(["v=spf1 -all"]);
    expect(queriesFor("flaky.example.test")).toBe(2);
  });

  it("throws DnsTemporaryError when no server is there", async () => {
    const resolver = createDnsResolver({ servers: [`127.0.0.1:${await closedPort()}`], ...FAST });
    const error = await temporaryError(resolver.txt("example.test"));
    expect(error.code).toBe("ECONNREFUSED");
  });
});

describe("several servers", () => {
  it("asks the next server when the first refuses connections", async () => {
    dns.set("failover.example.test", "TXT", ["v=spf1 -all"]);
    const resolver = createDnsResolver({
      servers: [`127.0.0.1:${await closedPort()}`, dns.address],
      ...FAST,
    });

    expect(await resolver.txt("failover.example.test")).toEqual(["v=spf1 -all"]);
  });

  it("asks the next server when the first does not answer", async () => {
    dns.set("failover2.example.test", "TXT", ["v=spf1 -all"]);
    const silent = await silentServer();
    let asked = 0;
    silent.on("message", () => asked++);
    try {
      const resolver = createDnsResolver({
        servers: [`127.0.0.1:${silent.address().port}`, dns.address],
        ...FAST,
      });
      expect(await resolver.txt("failover2.example.test")).toEqual(["v=spf1 -all"]);
      expect(asked).toBe(1);
    } finally {
      silent.close();
    }
  });

  it("answers from the second of two test servers", async () => {
    const other = await startDnsServer();
    try {
      other.set("only-on-other.test", "TXT", ["there"]);
      const resolver = createDnsResolver({
        servers: [`127.0.0.1:${await closedPort()}`, other.address],
        ...FAST,
      });
      expect(await resolver.txt("only-on-other.test")).toEqual(["there"]);
    } finally {
      await other.close();
    }
  });
});

describe("parseDnsServers", () => {
  it("reads a comma-separated list with ports and bracketed IPv6", () => {
    expect(parseDnsServers(" 127.0.0.1:5353, 1.1.1.1 ,[::1]:53,2001:db8::1,")).toEqual([
      "127.0.0.1:5353",
      "1.1.1.1",
      "[::1]:53",
      "2001:db8::1",
    ]);
  });

  it("leaves the system's resolvers when unset or blank", () => {
    expect(parseDnsServers(undefined)).toBeUndefined();
    expect(parseDnsServers(" , ")).toBeUndefined();
  });

  it.each([
    "dns.example.com",
    "127.0.0.1:0",
    "127.0.0.1:70000",
    "127.0.0.1:",
    "::1:53x",
    "[::1",
    "[127.0.0.1]:53x",
  ])("refuses %j", (entry) => {
    expect(() => parseDnsServers(entry)).toThrow(/invalid DNS server/);
  });

  it("is checked by createDnsResolver too", () => {
    expect(() => createDnsResolver({ servers: ["localhost:53"] })).toThrow(/invalid DNS server/);
  });
});
