import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../test/free-port.ts";
import { MailCatcher, type SmtpRefusal } from "./catcher.ts";
import type { Provider } from "./provider.ts";
import {
  type BreakerSettings,
  type BreakerState,
  GuardedProvider,
  type GuardedProviderHooks,
} from "./provider-breaker.ts";
import { ProviderChain } from "./provider-chain.ts";
import { createSmtpTransport } from "./smtp-transport.ts";
import { type OutgoingMessage, TransportError } from "./transport.ts";

const BREAKER: BreakerSettings = { resetMs: 300, windowMs: 10_000, minSends: 3, errorPercent: 50 };

/** A catcher whose answer to every recipient can be changed while it runs. */
class Server {
  readonly catcher: MailCatcher;
  refusal: SmtpRefusal | undefined;
  attempts = 0;

  constructor() {
    this.catcher = new MailCatcher({
      refuseRecipient: () => {
        this.attempts++;
        return this.refusal;
      },
    });
  }
}

const servers: Server[] = [];
const links: GuardedProvider[] = [];

async function server(): Promise<Server> {
  const created = new Server();
  await created.catcher.listen();
  servers.push(created);
  return created;
}

function link(name: string, url: string, hooks: GuardedProviderHooks = {}): GuardedProvider {
  const provider: Provider = {
    key: `test:${name}`,
    name,
    id: null,
    transport: createSmtpTransport({ url, finalHop: name === "primary", name }),
    ratePerSecond: null,
  };
  const guarded = new GuardedProvider(provider, BREAKER, hooks);
  links.push(guarded);
  return guarded;
}

let sequence = 0;
function message(to = `user${++sequence}@example.com`): OutgoingMessage {
  return {
    envelope: { from: "sender@acme.dev", to: [to] },
    content: { from: "sender@acme.dev", to, subject: "chain", text: "hello" },
  };
}

afterAll(async () => {
  await Promise.all(links.map((guarded) => guarded.close()));
  await Promise.all(servers.map((created) => created.catcher.close()));
});

describe("ProviderChain", () => {
  let secondary: Server;
  beforeAll(async () => {
    secondary = await server();
  });

  it("fails over when the first provider cannot be reached, and says who took the message", async () => {
    const closed = `smtp://127.0.0.1:${await freePort()}`;
    const chain = new ProviderChain([
      link("primary", closed),
      link("secondary", secondary.catcher.url),
    ]);
    const report = await chain.send(message("ann@example.com"));
    expect(report).toMatchObject({
      accepted: ["ann@example.com"],
      provider: "secondary",
      finalHop: false,
    });
    expect(secondary.catcher.messages.at(-1)?.envelope.to).toEqual(["ann@example.com"]);
  });

  it.each([
    [421, "4.3.2 Service shutting down"],
    [451, "4.3.0 Temporary lookup failure"],
    [451, "4.4.1 No answer from upstream"],
    [450, "4.7.0 Too many messages, slow down"],
    [454, "4.7.0 TLS not available due to local problem"],
  ])("fails over on the provider's %i %s", async (code, text) => {
    const primary = await server();
    primary.refusal = { code, message: text };
    const chain = new ProviderChain([
      link("primary", primary.catcher.url),
      link("secondary", secondary.catcher.url),
    ]);
    const report = await chain.send(message());
    expect(report.provider).toBe("secondary");
    expect(primary.attempts).toBe(1);
  });

  it.each([
    [550, "5.1.1 No such user"],
    [552, "5.2.2 Mailbox full"],
    [450, "4.2.1 Mailbox temporarily disabled"],
    [550, "5.7.1 Message refused as spam"],
  ])("answers a recipient's %i %s without trying the next provider", async (code, text) => {
    const primary = await server();
    primary.refusal = { code, message: text };
    const chain = new ProviderChain([
      link("primary", primary.catcher.url),
      link("secondary", secondary.catcher.url),
    ]);
    const before = secondary.attempts;
    const error = await chain.send(message()).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).reply.code).toBe(code);
    expect(secondary.attempts).toBe(before);
  });

  it("throws the last provider's error when every provider fails", async () => {
    const [first, second] = [await server(), await server()];
    first.refusal = { code: 421, message: "4.3.2 first is down" };
    second.refusal = { code: 451, message: "4.3.0 second is down" };
    const chain = new ProviderChain([
      link("first", first.catcher.url),
      link("second", second.catcher.url),
    ]);
    const error = (await chain
      .send(message())
      .catch((thrown: unknown) => thrown)) as TransportError;
    expect(error).toBeInstanceOf(TransportError);
    expect(error.reply).toMatchObject({ code: 451, enhancedCode: "4.3.0", bounceClass: "soft" });
  });

  it("does not try the next provider after an error that is not the provider's", async () => {
    const chain = new ProviderChain([
      link("primary", secondary.catcher.url),
      link("secondary", secondary.catcher.url),
    ]);
    const before = secondary.attempts;
    const broken = { envelope: { from: "a@acme.dev", to: [] }, content: { text: "x" } };
    await expect(chain.send(broken)).rejects.toThrow();
    expect(secondary.attempts).toBe(before);
  });

  it("opens the breaker, skips the provider, lets one trial through half-open, and closes", async () => {
    const primary = await server();
    primary.refusal = { code: 421, message: "4.3.2 Try again later" };
    const transitions: BreakerState[] = [];
    const guarded = link("primary", primary.catcher.url, {
      onStateChange: (_, state) => transitions.push(state),
    });
    const chain = new ProviderChain([guarded, link("secondary", secondary.catcher.url)]);

    for (let i = 0; i < 3; i++) expect((await chain.send(message())).provider).toBe("secondary");
    expect(guarded.state).toBe("open");
    expect(primary.attempts).toBe(3);

    // Open: skipped without trying.
    for (let i = 0; i < 3; i++) expect((await chain.send(message())).provider).toBe("secondary");
    expect(primary.attempts).toBe(3);

    primary.refusal = undefined;
    await new Promise((resolve) => setTimeout(resolve, BREAKER.resetMs + 100));
    expect(guarded.state).toBe("half_open");
    // Half-open: one trial among concurrent sends; the others go on to the next provider.
    const reports = await Promise.all(Array.from({ length: 4 }, () => chain.send(message())));
    expect(reports.filter((report) => report.provider === "primary")).toHaveLength(1);
    expect(primary.attempts).toBe(4);
    expect(guarded.state).toBe("closed");
    expect((await chain.send(message())).provider).toBe("primary");
    expect(transitions).toEqual(["open", "half_open", "closed"]);
  });

  it("answers a soft 451 without trying when every breaker is open", async () => {
    const [first, second] = [await server(), await server()];
    first.refusal = second.refusal = { code: 421, message: "4.3.2 down" };
    const chain = new ProviderChain([
      link("first", first.catcher.url),
      link("second", second.catcher.url),
    ]);
    for (let i = 0; i < 3; i++) await chain.send(message()).catch(() => undefined);
    expect(chain.states().map((entry) => entry.state)).toEqual(["open", "open"]);
    const error = (await chain
      .send(message())
      .catch((thrown: unknown) => thrown)) as TransportError;
    expect(error.reply).toMatchObject({ code: 451, enhancedCode: "4.3.0", bounceClass: "soft" });
    expect(error.message).toContain("circuit open");
    expect(first.attempts + second.attempts).toBe(6);
  });

  it("sends through a provider alone without a breaker, throttled", async () => {
    let throttled = 0;
    const alone = new ProviderChain([
      link("alone", secondary.catcher.url, {
        throttle: async () => {
          throttled++;
        },
      }),
    ]);
    (alone.links[0]?.provider as { ratePerSecond: number | null }).ratePerSecond = 5;
    const report = await alone.send(message());
    expect(report).toMatchObject({ provider: "alone", finalHop: false });
    expect(throttled).toBe(1);
  });
});
