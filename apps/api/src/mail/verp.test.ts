import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseVerpAddress, verpAddress } from "./verp.ts";

const key = randomBytes(32);
const emailId = "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e";

describe("VERP addresses", () => {
  it("round-trip the email and recipient, in a short lowercase local part", () => {
    const address = verpAddress(key, { emailId, recipient: 149 }, "send.acme.dev");
    const local = address.split("@")[0] ?? "";
    expect(local).toMatch(/^b\+[a-z2-7]+$/);
    expect(local.length).toBeLessThanOrEqual(64);
    expect(address.endsWith("@send.acme.dev")).toBe(true);
    expect(parseVerpAddress(key, address)).toEqual({ emailId, recipient: 149 });
    expect(parseVerpAddress(key, address.toUpperCase())).toEqual({ emailId, recipient: 149 });
  });

  it("refuse tampered, foreign and unrelated addresses", () => {
    const address = verpAddress(key, { emailId, recipient: 0 }, "send.acme.dev");
    const local = address.split("@")[0] ?? "";
    const flipped = `${local.slice(0, 10)}${local[10] === "a" ? "b" : "a"}${local.slice(11)}@x`;
    expect(parseVerpAddress(key, flipped)).toBeNull();
    expect(parseVerpAddress(randomBytes(32), address)).toBeNull();
    expect(parseVerpAddress(key, "postmaster@send.acme.dev")).toBeNull();
    expect(parseVerpAddress(key, "b+!!!@send.acme.dev")).toBeNull();
    expect(parseVerpAddress(key, "b+abc@send.acme.dev")).toBeNull();
  });
});
