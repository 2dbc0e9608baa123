import { describe, expect, it } from "vitest";
import { parseCidrs, refusalReason } from "./ssrf.ts";

describe("refusalReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["10.0.0.1", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "linkLocal"],
    ["169.254.0.1", "linkLocal"],
    ["fe80::1", "linkLocal"],
    ["fe80::1%eth0", "linkLocal"],
    ["100.64.0.1", "carrierGradeNat"],
    ["100.127.255.255", "carrierGradeNat"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["192.0.0.8", "reserved"],
    ["192.0.2.1", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["240.0.0.1", "reserved"],
    ["fc00::1", "uniqueLocal"],
    ["fd12:3456:789a::1", "uniqueLocal"],
    ["fec0::1", "siteLocal"],
    ["2001:db8::1", "documentation"],
    ["2001:2::1", "benchmarking"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "teredo"],
    ["64:ff9b:1::a00:1", "nat64Local"],
    ["100::1", "reserved"],
    ["4000::1", "reserved"],
    // IPv4 inside IPv6: the IPv4 address's class, and the form it came in.
    ["::ffff:127.0.0.1", "loopback (ipv4Mapped)"],
    ["::ffff:7f00:1", "loopback (ipv4Mapped)"],
    ["::ffff:169.254.169.254", "linkLocal (ipv4Mapped)"],
    ["::ffff:0:a00:1", "private (ipv4Translated)"],
    ["64:ff9b::a00:1", "private (nat64)"],
    ["64:ff9b::127.0.0.1", "loopback (nat64)"],
    ["2002:7f00:1::", "loopback (6to4)"],
    ["2002:a9fe:a9fe::1", "linkLocal (6to4)"],
    ["::127.0.0.1", "loopback (ipv4Compatible)"],
    ["::8.8.8.8", "ipv4Compatible"],
    ["not an address", "invalid"],
  ])("refuses %s as %s", (address, reason) => {
    expect(refusalReason(address)).toBe(reason);
  });

  it.each([
    "8.8.8.8",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "169.253.255.255",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("allows the public address %s", (address) => {
    expect(refusalReason(address)).toBeNull();
  });

  it("allows what the allow-list covers, and only that", () => {
    const allowList = parseCidrs("127.0.0.0/8, ::1");
    expect(refusalReason("127.0.0.1", allowList)).toBeNull();
    expect(refusalReason("127.9.9.9", allowList)).toBeNull();
    expect(refusalReason("::1", allowList)).toBeNull();
    // The mapped form reaches the same IPv4 host.
    expect(refusalReason("::ffff:127.0.0.1", allowList)).toBeNull();
    // A NAT64 form does not: it reaches the translator's own network.
    expect(refusalReason("64:ff9b::7f00:1", allowList)).toBe("loopback (nat64)");
    expect(refusalReason("10.0.0.1", allowList)).toBe("private");
    expect(refusalReason("169.254.169.254", allowList)).toBe("linkLocal");
  });

  it("allows an IPv6 range given in the allow-list", () => {
    const allowList = parseCidrs(["fd00::/8"]);
    expect(refusalReason("fd00::5", allowList)).toBeNull();
    expect(refusalReason("fc00::5", allowList)).toBe("uniqueLocal");
  });
});

describe("parseCidrs", () => {
  it("reads a comma-separated list, ignoring blanks", () => {
    const cidrs = parseCidrs(" 10.1.0.0/16 ,, 192.168.5.5 ,");
    expect(cidrs.map(([address, bits]) => `${address.toString()}/${bits}`)).toEqual([
      "10.1.0.0/16",
      "192.168.5.5/32",
    ]);
    expect(parseCidrs("")).toEqual([]);
  });

  it("throws on an entry that is not a CIDR", () => {
    expect(() => parseCidrs("10.0.0.0/8,localhost")).toThrow(/"localhost"/);
    expect(() => parseCidrs(["10.0.0.0/33"])).toThrow(/not a CIDR/);
  });
});
