import { describe, expect, it } from "vitest";
import { call, positional, pythonStatement, typescriptStatement } from "./layout.ts";
import { pythonString, pythonValue, typescriptString, typescriptValue } from "./literals.ts";

const LONG_ID = "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11";

describe("typescriptStatement (biome's layout)", () => {
  it("keeps a call that fits on one line, objects spaced", () => {
    const args = [positional(typescriptValue({ origin: "bounce" }))];
    expect(typescriptStatement("await thrive.suppressions.list", call(args))).toBe(
      'await thrive.suppressions.list({ origin: "bounce" });',
    );
  });

  it("hugs a last object argument, and breaks every argument when two objects end the call", () => {
    const changes = { endpoint: "https://example.com/webhooks/thrive", status: "enabled" };
    const hugged = call([
      positional(typescriptString(LONG_ID)),
      positional(typescriptValue(changes)),
    ]);
    expect(
      typescriptStatement("const { data, error } = await thrive.webhooks.update", hugged),
    ).toBe(`const { data, error } = await thrive.webhooks.update("${LONG_ID}", {
  endpoint: "https://example.com/webhooks/thrive",
  status: "enabled",
});`);
    const twoObjects = call([
      positional(typescriptValue(changes)),
      positional(typescriptValue({ idempotencyKey: "k" })),
    ]);
    expect(
      typescriptStatement("const { data, error } = await thrive.emails.send", twoObjects),
    ).toBe(`const { data, error } = await thrive.emails.send(
  { endpoint: "https://example.com/webhooks/thrive", status: "enabled" },
  { idempotencyKey: "k" },
);`);
  });

  it("breaks an array of several objects of several fields, even when it would fit", () => {
    const emails = [
      { to: "a", subject: "b" },
      { to: "c", subject: "d" },
    ];
    expect(typescriptStatement("await f", call([positional(typescriptValue(emails))]))).toBe(
      'await f([\n  { to: "a", subject: "b" },\n  { to: "c", subject: "d" },\n]);',
    );
  });
});

describe("pythonStatement (black's layout)", () => {
  it("puts the arguments on a line of their own when they fit there, without a trailing comma", () => {
    const args = [positional(pythonString(LONG_ID)), positional(pythonString(LONG_ID))];
    expect(pythonStatement("webhook_event = client.webhooks.events.get", call(args))).toBe(
      `webhook_event = client.webhooks.events.get(\n    "${LONG_ID}", "${LONG_ID}"\n)`,
    );
  });

  it("explodes a lone argument without a trailing comma after it, several with one", () => {
    const body = pythonValue({
      from: "Acme <onboarding@acme.dev>",
      to: ["a@example.com"],
      subject: "hello world",
    });
    expect(pythonStatement("sent = client.emails.send", call([positional(body)]))).toBe(
      `sent = client.emails.send(
    {
        "from": "Acme <onboarding@acme.dev>",
        "to": ["a@example.com"],
        "subject": "hello world",
    }
)`,
    );
    const withKey = call([positional(body), { prefix: "idempotency_key=", value: '"k"' }]);
    expect(pythonStatement("sent = client.emails.send", withKey)).toMatch(
      / {4}},\n {4}idempotency_key="k",\n\)$/,
    );
  });

  it("writes Python's literals and the formatters' quotes", () => {
    expect(pythonStatement("x = f", call([positional(pythonValue([true, null, 1.5]))]))).toBe(
      "x = f([True, None, 1.5])",
    );
    expect(typescriptString('say "hi"')).toBe(`'say "hi"'`);
    expect(pythonString("it's")).toBe('"it\'s"');
    expect(typescriptValue({ "X-Entity-Ref-ID": "1" })).toEqual({
      kind: "object",
      items: [{ prefix: '"X-Entity-Ref-ID": ', value: '"1"' }],
    });
  });
});
