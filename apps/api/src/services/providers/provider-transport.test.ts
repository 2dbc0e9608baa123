import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSsrfGuard } from "../../lib/ssrf-guard.ts";
import { MailCatcher } from "../../mail/catcher.ts";
import { isProviderFault } from "../../mail/provider-fault.ts";
import { TransportError } from "../../mail/transport.ts";
import type { SmtpProviderSettings } from "./provider-settings.ts";
import { orgProviderTransport } from "./provider-transport.ts";

let catcher: MailCatcher;
beforeAll(async () => {
  catcher = new MailCatcher();
  await catcher.listen();
});
afterAll(() => catcher.close());

const message = {
  envelope: { from: "a@acme.dev", to: ["b@example.com"] },
  content: { from: "a@acme.dev", to: "b@example.com", subject: "s", text: "t" },
};

async function sendThrough(settings: Partial<SmtpProviderSettings>, allowList: string[]) {
  const guard = createSsrfGuard({ allowList });
  const transport = orgProviderTransport(
    {
      type: "smtp",
      host: "127.0.0.1",
      port: catcher.port,
      security: "none",
      final_hop: true,
      ...settings,
    },
    { name: "org", lookup: guard.lookup, maxConnections: 1 },
  );
  try {
    return await transport.send(message);
  } finally {
    await transport.close();
    guard.close();
  }
}

describe("an organization's SMTP provider", () => {
  it("connects to an allowed address", async () => {
    const report = await sendThrough({}, ["127.0.0.0/8"]);
    expect(report.accepted).toEqual(["b@example.com"]);
  });

  it.each([
    ["an IP address", "127.0.0.1"],
    ["a host name", "localhost"],
  ])(
    "never connects to %s outside the allowed networks, and lets the chain fail over",
    async (_, host) => {
      const before = catcher.messages.length;
      const error = await sendThrough({ host }, []).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).message).toMatch(/not allowed/);
      expect(isProviderFault(error)).toBe(true);
      expect(catcher.messages.length).toBe(before);
    },
  );

  it("sends nothing in clear text when STARTTLS is required and not offered", async () => {
    const before = catcher.messages.length;
    const error = await sendThrough({ security: "starttls", username: "u", password: "p" }, [
      "127.0.0.0/8",
    ]).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TransportError);
    expect(isProviderFault(error)).toBe(true);
    expect(catcher.messages.length).toBe(before);
  });
});
