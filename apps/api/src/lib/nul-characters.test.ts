import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi, type TestOrg } from "../test/harness.ts";
import { hasNulEscape } from "./nul-characters.ts";

describe("hasNulEscape", () => {
  it.each([
    [String.raw`{"a":"\u0000"}`, true],
    [String.raw`{"a":"x\\\u0000"}`, true],
    [String.raw`{"a":"\\u0000"}`, false],
    [String.raw`{"a":"\\\\u0000"}`, false],
    [String.raw`{"a":"\u00001"}`, true],
    [String.raw`{"a":"\u0001"}`, false],
    ['{"a":"plain"}', false],
  ])("%s: %s", (json, expected) => {
    expect(hasNulEscape(json)).toBe(expected);
  });
});

describe("requests with a NUL character", () => {
  let api: TestApi;
  let org: TestOrg;

  beforeAll(async () => {
    api = await startTestApi();
    org = await api.createOrg();
  });
  afterAll(() => api.close());

  const email = (extra: Record<string, unknown>) => ({
    from: "Acme <onboarding@acme.dev>",
    to: "delivered@example.com",
    subject: "hello",
    text: "it works",
    ...extra,
  });

  // A NUL in a name reached PostgreSQL's jsonb and failed the insert with a 500 (fuzzing).
  it.each([
    ["a recipient's name", { to: "Ada\u0000 <ada@example.com>" }],
    ["the text", { text: "it\u0000works" }],
    ["a tag", { tags: [{ name: "a", value: "b\u0000" }] }],
  ])("are refused with a 422 when %s has one", async (_, extra) => {
    const response = await api.call("POST", "/emails", { key: org.key, json: email(extra) });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      name: "validation_error",
      message: "Text must not contain NUL characters (U+0000)",
    });
    const list = await api.call("GET", "/emails", { key: org.key });
    expect(list.body.data).toEqual([]);
  });

  it("are refused with a 422 when the URL has one", async () => {
    for (const path of ["/suppressions/a%00b@example.com", "/audit-logs?action=a%00"]) {
      const response = await api.call("GET", path, { key: org.key });
      expect(response.status, path).toBe(422);
      expect(response.body.message).toMatch(/NUL characters/);
    }
  });

  it("accept the text `\\u0000` (an escaped backslash, no NUL)", async () => {
    const response = await api.call("POST", "/emails", {
      key: org.key,
      json: email({ text: "the escape \\u0000 in a sentence" }),
    });
    expect(response.status).toBe(200);
  });
});
