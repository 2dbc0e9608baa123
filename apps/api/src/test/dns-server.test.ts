import { createSocket } from "node:dgram";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDnsResolver } from "../lib/dns-resolver.ts";
import { startDnsServer, type TestDnsServer } from "./dns-server.ts";

let dns: TestDnsServer;
let resolver: ReturnType<typeof createDnsResolver>;

beforeAll(async () => {
  dns = await startDnsServer();
  resolver = createDnsResolver({ servers: [dns.address], timeoutMs: 250, tries: 2 });
});
afterAll(async () => {
  await dns.close();
});

describe("startDnsServer", () => {
  it("listens on a random port of 127.0.0.1", () => {
    expect(dns.port).toBeGreaterThan(0);
    expect(dns.address).toBe(`127.0.0.1:${dns.port}`);
  });

  it("replaces a name's records of a type on set, keeping the other types", async () => {
    dns.set("replace.test", "TXT", ["one"]);
    dns.set("replace.test", "A", ["192.0.2.1"]);
    dns.set("REPLACE.test.", "TXT", ["two"]);

    expect(await resolver.txt("replace.test")).toEqual(["two"]);
    expect(await resolver.a("replace.test")).toEqual(["192.0.2.1"]);
  });

  it("removes one type (NODATA after), then the whole name (NXDOMAIN after)", async () => {
    dns.set("removed.test", "TXT", ["v=spf1 -all"]);
    dns.set("removed.test", "MX", [{ exchange: "mx.removed.test", priority: 10 }]);

    dns.remove("removed.test", "TXT");
    expect((await resolver.resolve("removed.test", "TXT")).absence).toBe("nodata");
    expect(await resolver.mx("removed.test")).toHaveLength(1);

    dns.remove("Removed.Test");
    expect((await resolver.resolve("removed.test", "MX")).absence).toBe("nxdomain");
  });

  it("fails the given number of queries, then answers again", async () => {
    dns.set("counted.test", "TXT", ["ok"]);
    dns.failNext("Counted.Test", "SERVFAIL", 2);

    await expect(resolver.txt("counted.test")).rejects.toMatchObject({ code: "ESERVFAIL" });
    await expect(resolver.txt("counted.test")).rejects.toMatchObject({ code: "ESERVFAIL" });
    expect(await resolver.txt("counted.test")).toEqual(["ok"]);
  });

  it("answers NXDOMAIN with the chain when a CNAME points nowhere", async () => {
    dns.set("dangling.test", "CNAME", ["gone.test"]);

    expect((await resolver.resolve("dangling.test", "TXT")).absence).toBe("nxdomain");
    expect(await resolver.cname("dangling.test")).toEqual(["gone.test"]);
  });

  it("ends a CNAME loop", async () => {
    dns.set("loop-a.test", "CNAME", ["loop-b.test"]);
    dns.set("loop-b.test", "CNAME", ["loop-a.test"]);

    // The server stops following after a few links and answers what it has: no TXT.
    expect((await resolver.resolve("loop-a.test", "TXT")).absence).toBe("nodata");
    expect(await resolver.cname("loop-a.test")).toEqual(["loop-b.test"]);
  });

  it("refuses records a zone cannot hold", () => {
    dns.set("alias.test", "CNAME", ["target.test"]);
    expect(() => dns.set("alias.test", "TXT", ["x"])).toThrow(/CNAME/);
    dns.set("plain.test", "TXT", ["x"]);
    expect(() => dns.set("plain.test", "CNAME", ["target.test"])).toThrow(/CNAME/);
    expect(() => dns.set("bad-a.test", "A", ["2001:db8::1"])).toThrow(/not an A address/);
    expect(() => dns.set("bad-aaaa.test", "AAAA", ["192.0.2.1"])).toThrow(/not an AAAA/);
    expect(() => dns.set("bad-txt.test", "TXT", [["x".repeat(256)]])).toThrow(/255 bytes/);
  });

  it("splits a long UTF-8 value without cutting a character", async () => {
    const value = "é".repeat(200);
    dns.set("utf8-split.test", "TXT", [value]);

    const answer = await resolver.resolve("utf8-split.test", "TXT");
    expect(answer.records[0]?.map((chunk) => Buffer.byteLength(chunk))).toEqual([254, 146]);
    expect(await resolver.txt("utf8-split.test")).toEqual([value]);
  });

  it("records each query with its name, type and transport", async () => {
    dns.set("logged.test", "MX", [{ exchange: "mx.logged.test", priority: 1 }]);
    await resolver.mx("LOGGED.test");
    expect(dns.queries.at(-1)).toEqual({ name: "logged.test", type: "MX", transport: "udp" });
  });

  it("keeps answering after malformed packets over UDP and TCP", async () => {
    dns.set("sturdy.test", "TXT", ["still here"]);
    const udp = createSocket("udp4");
    await new Promise<void>((resolve) =>
      udp.send(Buffer.from("not a dns message"), dns.port, "127.0.0.1", () => resolve()),
    );
    udp.close();
    const tcp = connect(dns.port, "127.0.0.1");
    await new Promise<void>((resolve) => tcp.once("connect", () => resolve()));
    await new Promise<void>((resolve) =>
      tcp.end(Buffer.from([0, 5, 1, 2, 3, 4, 5]), () => resolve()),
    );
    tcp.destroy();

    expect(await resolver.txt("sturdy.test")).toEqual(["still here"]);
  });
});
