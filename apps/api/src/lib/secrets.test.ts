import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeEncryptionKey, generateEncryptionKey, SecretBox } from "./secrets.ts";

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));

  it("seals and opens, with a fresh nonce each time", () => {
    const sealed = box.seal("-----BEGIN PRIVATE KEY-----\nMIIE...");
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("PRIVATE");
    expect(box.open(sealed)).toBe("-----BEGIN PRIVATE KEY-----\nMIIE...");
    expect(box.seal("same")).not.toBe(box.seal("same"));
  });

  it("refuses an altered value, another key's value and garbage", () => {
    const sealed = box.seal("secret");
    const raw = Buffer.from(sealed.slice(3), "base64url");
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1.${raw.toString("base64url")}`)).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
    expect(() => box.open("v2.abc")).toThrow(/not a sealed secret/);
    expect(() => box.open("plain")).toThrow();
  });

  it("derives distinct, stable keys per purpose", () => {
    const master = randomBytes(32);
    const a = new SecretBox(master);
    expect(a.derive("tracking")).toEqual(new SecretBox(master).derive("tracking"));
    expect(a.derive("tracking")).not.toEqual(a.derive("unsubscribe"));
    expect(a.derive("tracking")).toHaveLength(32);
  });
});

describe("decodeEncryptionKey", () => {
  it("takes hex and base64 of 32 bytes, nothing else", () => {
    expect(decodeEncryptionKey("ab".repeat(32))).toHaveLength(32);
    expect(decodeEncryptionKey(generateEncryptionKey())).toHaveLength(32);
    expect(decodeEncryptionKey(randomBytes(32).toString("base64url"))).toHaveLength(32);
    expect(decodeEncryptionKey("ab".repeat(16))).toBeUndefined();
    expect(decodeEncryptionKey(randomBytes(31).toString("base64"))).toBeUndefined();
  });
});
