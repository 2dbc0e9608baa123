import { describe, expect, it } from "vitest";
import { deriveKey, signToken } from "../lib/signed-token.ts";
import {
  decodeClick,
  decodeOpen,
  decodeUnsubscribe,
  encodeClick,
  encodeOpen,
  TOKEN_PURPOSES,
  TrackingTokens,
} from "./tracking-tokens.ts";

const secret = Buffer.alloc(32, 1);
const tokens = new TrackingTokens(secret);
const emailId = "0190f6a2-c3d4-7e8f-9a0b-1c2d3e4f5a6b";
const topicId = "0190f6a2-ffff-7000-8000-000000000001";
/** A typical marketing link: path plus UTM parameters. */
const TYPICAL_URL =
  "https://shop.example.com/spring-sale?utm_source=newsletter&utm_medium=email&utm_campaign=spring_2025";

describe("TrackingTokens", () => {
  it("round-trips opens, clicks and unsubscribes", () => {
    for (const recipient of [0, 1, 49, 127, 128, 300, 16_383, 16_384, 2 ** 28 - 1]) {
      expect(tokens.readOpen(tokens.open({ emailId, recipient }))).toEqual({ emailId, recipient });
      expect(tokens.readClick(tokens.click({ emailId, recipient, url: TYPICAL_URL }))).toEqual({
        emailId,
        recipient,
        url: TYPICAL_URL,
      });
      expect(tokens.readUnsubscribe(tokens.unsubscribe({ emailId, recipient }))).toEqual({
        emailId,
        recipient,
      });
      expect(tokens.readUnsubscribe(tokens.unsubscribe({ emailId, recipient, topicId }))).toEqual({
        emailId,
        recipient,
        topicId,
      });
    }
  });

  it("reads ids back lower-cased, and URLs as a browser navigates to them", () => {
    const upper = emailId.toUpperCase();
    expect(tokens.readOpen(tokens.open({ emailId: upper, recipient: 2 }))?.emailId).toBe(emailId);
    const read = tokens.readClick(
      tokens.click({ emailId, recipient: 0, url: "HTTPS://Example.COM/a b?q=é#top" }),
    );
    expect(read?.url).toBe("https://example.com/a%20b?q=%C3%A9#top");
    const idn = tokens.readClick(tokens.click({ emailId, recipient: 0, url: "https://bücher.de" }));
    expect(idn?.url).toBe("https://xn--bcher-kva.de/");
  });

  it("keeps tokens short (lengths reported for the record)", () => {
    const open = tokens.open({ emailId, recipient: 0 });
    const click = tokens.click({ emailId, recipient: 0, url: TYPICAL_URL });
    const unsubscribe = tokens.unsubscribe({ emailId, recipient: 0 });
    const topical = tokens.unsubscribe({ emailId, recipient: 0, topicId });
    // 16 id + 1 recipient + 16 tag = 33 bytes = 44 characters.
    expect(open).toHaveLength(44);
    expect(unsubscribe).toHaveLength(44);
    expect(topical).toHaveLength(66);
    // The URL travels inside: 33 bytes + its length, times 4/3.
    expect(TYPICAL_URL).toHaveLength(100);
    expect(click).toHaveLength(Math.ceil(((33 + 100) * 4) / 3));
    expect(click).toHaveLength(178);
    const short = tokens.click({ emailId, recipient: 0, url: "https://example.com/pricing" });
    expect(short).toHaveLength(80);
    console.info(
      `token lengths: open ${open.length}, unsubscribe ${unsubscribe.length} (` +
        `${topical.length} with a topic), click ${click.length} for a ${TYPICAL_URL.length}-char ` +
        `URL, ${short.length} for a 27-char one`,
    );
  });

  it("refuses a token of one kind read as another", () => {
    const click = tokens.click({ emailId, recipient: 0, url: TYPICAL_URL });
    const open = tokens.open({ emailId, recipient: 0 });
    const unsubscribe = tokens.unsubscribe({ emailId, recipient: 0 });
    expect(tokens.readUnsubscribe(click)).toBeNull();
    expect(tokens.readOpen(click)).toBeNull();
    expect(tokens.readUnsubscribe(open)).toBeNull();
    expect(tokens.readClick(open)).toBeNull();
    expect(tokens.readOpen(unsubscribe)).toBeNull();
    expect(tokens.readClick(unsubscribe)).toBeNull();
  });

  it("refuses a click token whose URL was swapped", () => {
    const token = tokens.click({ emailId, recipient: 0, url: "https://good.example/" });
    const bytes = Buffer.from(token, "base64url");
    const evil = Buffer.from(bytes);
    evil.write("evil", 17 + "https://".length, "utf8");
    expect(evil.toString("utf8", 17, 17 + 21)).toBe("https://evil.example/");
    expect(tokens.readClick(evil.toString("base64url"))).toBeNull();
  });

  it("keeps links of retired secrets working, and signs with the current one only", () => {
    const old = new TrackingTokens(Buffer.alloc(32, 2));
    const rotated = new TrackingTokens(secret, [Buffer.alloc(32, 2)]);
    const oldToken = old.open({ emailId, recipient: 3 });
    expect(tokens.readOpen(oldToken)).toBeNull();
    expect(rotated.readOpen(oldToken)).toEqual({ emailId, recipient: 3 });
    expect(rotated.open({ emailId, recipient: 3 })).toBe(tokens.open({ emailId, recipient: 3 }));
  });

  it("refuses garbage without throwing", () => {
    for (const garbage of ["", "x", "%%%", "A".repeat(44), undefined, 7]) {
      expect(tokens.readOpen(garbage)).toBeNull();
      expect(tokens.readClick(garbage)).toBeNull();
      expect(tokens.readUnsubscribe(garbage)).toBeNull();
    }
  });

  it("refuses to sign what it could not honour", () => {
    expect(() => tokens.open({ emailId: "not-a-uuid", recipient: 0 })).toThrow(TypeError);
    expect(() => tokens.open({ emailId, recipient: -1 })).toThrow(RangeError);
    expect(() => tokens.open({ emailId, recipient: 1.5 })).toThrow(RangeError);
    expect(() => tokens.open({ emailId, recipient: 2 ** 28 })).toThrow(RangeError);
    expect(() => tokens.unsubscribe({ emailId, recipient: 0, topicId: "x" })).toThrow(TypeError);
    for (const url of [
      "javascript:alert(1)",
      "/relative",
      "mailto:a@example.com",
      "ftp://x/",
      "",
    ]) {
      expect(() => tokens.click({ emailId, recipient: 0, url })).toThrow(TypeError);
    }
  });
});

describe("payload decoders", () => {
  const head = encodeOpen({ emailId, recipient: 5 });
  const clickKey = deriveKey(secret, TOKEN_PURPOSES.click);

  it("refuse payloads of the wrong shape", () => {
    expect(decodeOpen(head.subarray(0, 16))).toBeNull();
    expect(decodeOpen(Buffer.concat([head, Buffer.of(0)]))).toBeNull();
    expect(decodeClick(head)).toBeNull();
    expect(decodeUnsubscribe(Buffer.concat([head, Buffer.alloc(15)]))).toBeNull();
    expect(decodeUnsubscribe(Buffer.concat([head, Buffer.alloc(17)]))).toBeNull();
  });

  it("take one spelling of a recipient index only", () => {
    const id = head.subarray(0, 16);
    expect(decodeOpen(Buffer.concat([id, Buffer.of(0x80, 0x01)]))).toEqual({
      emailId,
      recipient: 128,
    });
    // 5 spelled in two bytes, and a varint that never ends.
    expect(decodeOpen(Buffer.concat([id, Buffer.of(0x85, 0x00)]))).toBeNull();
    expect(decodeOpen(Buffer.concat([id, Buffer.of(0x80, 0x80, 0x80, 0x80, 0x01)]))).toBeNull();
    expect(decodeOpen(Buffer.concat([id, Buffer.of(0x80)]))).toBeNull();
  });

  it("refuse a signed click whose URL is not http(s) or not UTF-8", () => {
    // Signed with the real key, so only the decoder stands in the way.
    const read = (payload: Buffer) =>
      tokens.readClick(signToken(clickKey, "tracking:click", payload));
    expect(read(Buffer.concat([head, Buffer.from("javascript:alert(1)")]))).toBeNull();
    expect(read(Buffer.concat([head, Buffer.of(0xc3, 0x28)]))).toBeNull();
    expect(read(encodeClick({ emailId, recipient: 5, url: "http://a.example/" }))).toEqual({
      emailId,
      recipient: 5,
      url: "http://a.example/",
    });
  });
});
