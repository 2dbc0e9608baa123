import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { deriveKey, signToken, TAG_BYTES, verifyToken } from "./signed-token.ts";

const master = Buffer.alloc(32, 7);
const key = deriveKey(master, "click");
const payload = Buffer.from("0190f6a2c3d47e8f9a0b1c2d3e4f5a6b01", "hex");

describe("signToken / verifyToken", () => {
  it("round-trips a payload, empty or not", () => {
    for (const bytes of [
      payload,
      Buffer.alloc(0),
      new Uint8Array([0, 255, 128]),
      randomBytes(500),
    ]) {
      const token = signToken(key, "click", bytes);
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(verifyToken(key, "click", token)).toEqual(Buffer.from(bytes));
    }
  });

  it("is payload plus a 16-byte tag, nothing more", () => {
    const token = signToken(key, "click", payload);
    expect(Buffer.from(token, "base64url")).toHaveLength(payload.length + TAG_BYTES);
    expect(token).toHaveLength(Math.ceil(((payload.length + TAG_BYTES) * 4) / 3));
  });

  it("refuses a token with any byte changed", () => {
    const bytes = Buffer.from(signToken(key, "click", payload), "base64url");
    for (let index = 0; index < bytes.length; index++) {
      for (const flip of [0x01, 0x80, 0xff]) {
        const tampered = Buffer.from(bytes);
        tampered[index] = (tampered[index] as number) ^ flip;
        expect(verifyToken(key, "click", tampered.toString("base64url"))).toBeNull();
      }
    }
  });

  it("refuses a token with any character changed, cut short or extended", () => {
    const token = signToken(key, "click", payload);
    for (let index = 0; index < token.length; index++) {
      const other = token[index] === "A" ? "B" : "A";
      const tampered = token.slice(0, index) + other + token.slice(index + 1);
      expect(verifyToken(key, "click", tampered)).toBeNull();
    }
    expect(verifyToken(key, "click", token.slice(0, -1))).toBeNull();
    expect(verifyToken(key, "click", token.slice(1))).toBeNull();
    expect(verifyToken(key, "click", `${token}A`)).toBeNull();
    expect(verifyToken(key, "click", `A${token}`)).toBeNull();
  });

  it("refuses a token made for another purpose, even under the same key", () => {
    const click = signToken(key, "click", payload);
    expect(verifyToken(key, "unsubscribe", click)).toBeNull();
    expect(verifyToken(key, "clic", click)).toBeNull();
    // The length prefix keeps purpose and payload apart: "ab"+"c" is not "a"+"bc".
    const joined = signToken(key, "ab", Buffer.from("c"));
    expect(verifyToken(key, "a", signToken(key, "a", Buffer.from("bc")))).toEqual(
      Buffer.from("bc"),
    );
    const forged = Buffer.concat([
      Buffer.from("bc"),
      Buffer.from(joined, "base64url").subarray(1),
    ]).toString("base64url");
    expect(verifyToken(key, "a", forged)).toBeNull();
  });

  it("refuses another key's token, and accepts any of several keys", () => {
    const other = deriveKey(Buffer.alloc(32, 8), "click");
    const token = signToken(other, "click", payload);
    expect(verifyToken(key, "click", token)).toBeNull();
    expect(verifyToken([key, other], "click", token)).toEqual(payload);
    expect(verifyToken([], "click", token)).toBeNull();
  });

  it.each([
    ["empty", ""],
    ["punctuation", "!!!!"],
    ["standard base64 alphabet", `${signToken(key, "click", payload).slice(0, 20)}+/+/`],
    ["padding", `${signToken(key, "click", payload)}==`],
    ["whitespace", ` ${signToken(key, "click", payload)}`],
    ["too short for a tag", Buffer.alloc(TAG_BYTES - 1).toString("base64url")],
    ["one character", "A"],
    ["non-ASCII", "ñ€😀"],
    ["huge", "A".repeat(100_000)],
    ["not a string", 42],
    ["null", null],
    ["an object", { toString: () => "x" }],
  ])("refuses garbage without throwing: %s", (_label, garbage) => {
    expect(verifyToken(key, "click", garbage)).toBeNull();
  });

  it("refuses a non-canonical spelling of a valid token", () => {
    // 33 bytes encode to exactly 44 characters; 34 leave spare bits in the last character.
    const token = signToken(key, "click", Buffer.alloc(18, 1));
    const last = token.at(-1) as string;
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] as string;
    const variant = token.slice(0, -1) + sibling;
    expect(Buffer.from(variant, "base64url")).toEqual(Buffer.from(token, "base64url"));
    expect(verifyToken(key, "click", variant)).toBeNull();
    expect(verifyToken(key, "click", token)).toEqual(Buffer.alloc(18, 1));
  });
});

describe("deriveKey", () => {
  it("gives each purpose and each master its own stable 32-byte key", () => {
    expect(deriveKey(master, "click")).toEqual(key);
    expect(deriveKey(master, "click")).toHaveLength(32);
    expect(deriveKey(master, "open")).not.toEqual(key);
    expect(deriveKey(Buffer.alloc(32, 8), "click")).not.toEqual(key);
  });

  it("refuses a master key too short to be one, and bad purposes", () => {
    expect(() => deriveKey(Buffer.alloc(31), "click")).toThrow(RangeError);
    expect(() => deriveKey(master, "")).toThrow(RangeError);
    expect(() => signToken(key, "x".repeat(256), payload)).toThrow(RangeError);
  });
});
