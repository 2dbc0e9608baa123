import { readFileSync } from "node:fs";
import { connect } from "node:net";
import { createTransport } from "nodemailer";
import { afterEach, describe, expect, it } from "vitest";
import {
  BounceListener,
  type BounceListenerOptions,
  type InboundMessage,
} from "./bounce-listener.ts";
import { parseInboundReport } from "./dsn.ts";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
const VERP = /^bounce\+[0-9a-f-]+@bounces\.acme\.dev$/i;

const listeners: BounceListener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((listener) => listener.close()));
});

async function started(options: BounceListenerOptions): Promise<BounceListener> {
  const listener = new BounceListener(options);
  listeners.push(listener);
  await listener.listen();
  return listener;
}

/** Sends as a remote MTA would: null reverse path, raw message, over real SMTP. */
function deliver(listener: BounceListener, to: string[], raw: Buffer | string, from = "") {
  const transport = createTransport({
    host: "127.0.0.1",
    port: listener.port,
    secure: false,
    ignoreTLS: true,
  });
  return transport.sendMail({ envelope: { from, to }, raw }).finally(() => transport.close());
}

const crlf = (buffer: Buffer) => buffer.toString("utf8").replace(/\r?\n/g, "\r\n");

describe("BounceListener", () => {
  it("hands each DSN to onMessage with its envelope, ready for parseInboundReport", async () => {
    const received: InboundMessage[] = [];
    const listener = await started({ onMessage: (message) => void received.push(message) });
    expect(listener.url).toBe(`smtp://127.0.0.1:${listener.port}`);

    const verp = "bounce+0199e1a2-7c3d-7e10-9b2a-5f4c8d2e1a01@bounces.acme.dev";
    const info = await deliver(listener, [verp], fixture("postfix-user-unknown.eml"));
    expect(info.response).toMatch(/^250 /);
    await deliver(
      listener,
      ["bounce+0199e9e3-cccc-7ddd-8eee-000000000005@bounces.acme.dev"],
      fixture("microsoft365-multi-recipient.eml"),
    );

    expect(received).toHaveLength(2);
    const [first, second] = received;
    expect(first?.envelope).toEqual({ from: "", to: [verp] });
    expect(crlf(first?.raw ?? Buffer.alloc(0))).toBe(crlf(fixture("postfix-user-unknown.eml")));
    expect(await parseInboundReport(first?.raw ?? Buffer.alloc(0))).toMatchObject({
      kind: "dsn",
      recipients: [{ finalRecipient: "nobody@example.org", status: "5.1.1" }],
      originalMessageId: "<0199e1a2-7c3d-7e10-9b2a-5f4c8d2e1a01@acme.dev>",
    });
    expect(await parseInboundReport(second?.raw ?? Buffer.alloc(0))).toMatchObject({
      kind: "dsn",
      recipients: [{ finalRecipient: "gone@contoso.com" }, { finalRecipient: "full@contoso.com" }],
    });
  });

  it("answers 451 when onMessage throws or rejects, so the sender retries; then carries on", async () => {
    let mode: "throw" | "reject" | "ok" = "throw";
    const received: InboundMessage[] = [];
    const listener = await started({
      onMessage: async (message) => {
        if (mode === "throw") throw new Error("database down");
        if (mode === "reject") return Promise.reject(new Error("queue full"));
        received.push(message);
      },
    });
    const to = ["bounce+0199e6b0-1111-7aaa-8bbb-000000000002@bounces.acme.dev"];

    await expect(deliver(listener, to, fixture("postfix-delayed.eml"))).rejects.toMatchObject({
      responseCode: 451,
    });
    mode = "reject";
    await expect(deliver(listener, to, fixture("postfix-delayed.eml"))).rejects.toMatchObject({
      responseCode: 451,
      response: expect.not.stringContaining("queue full"),
    });
    mode = "ok";
    await deliver(listener, to, fixture("postfix-delayed.eml"));
    expect(received).toHaveLength(1);
  });

  it("refuses recipients the filter does not accept, and keeps the ones it does", async () => {
    const received: InboundMessage[] = [];
    const listener = await started({
      onMessage: (message) => void received.push(message),
      acceptRecipient: (address) => VERP.test(address),
    });

    await expect(
      deliver(listener, ["postmaster@bounces.acme.dev"], fixture("auto-reply.eml")),
    ).rejects.toMatchObject({
      responseCode: 550,
    });
    const verp = "bounce+0199ec16-ffff-7000-8111-000000000008@bounces.acme.dev";
    const info = await deliver(listener, [verp, "someone@else.example"], fixture("auto-reply.eml"));
    expect(info.accepted).toEqual([verp]);
    expect(info.rejected).toEqual(["someone@else.example"]);
    expect(received.map((message) => message.envelope.to)).toEqual([[verp]]);
  });

  it("answers 451 at RCPT TO when the filter itself fails", async () => {
    const listener = await started({
      onMessage: () => {},
      acceptRecipient: () => {
        throw new Error("lookup failed");
      },
    });
    await expect(
      deliver(listener, ["bounce+1@bounces.acme.dev"], fixture("auto-reply.eml")),
    ).rejects.toMatchObject({ responseCode: 451 });
  });

  it("refuses a message over the size limit without handing it on", async () => {
    const received: InboundMessage[] = [];
    const listener = await started({
      onMessage: (message) => void received.push(message),
      maxMessageBytes: 4096,
    });
    const big = `Subject: big\r\n\r\n${"x".repeat(76)}\r\n`.repeat(200);
    await expect(deliver(listener, ["bounce+1@bounces.acme.dev"], big)).rejects.toMatchObject({
      responseCode: 552,
    });
    await deliver(listener, ["bounce+1@bounces.acme.dev"], "Subject: small\r\n\r\nok\r\n");
    expect(received).toHaveLength(1);
  });

  it("keeps a non-null reverse path as given", async () => {
    const received: InboundMessage[] = [];
    const listener = await started({ onMessage: (message) => void received.push(message) });
    await deliver(
      listener,
      ["bounce+1@bounces.acme.dev"],
      fixture("arf-abuse.eml"),
      "feedback@arf.mail.yahoo.com",
    );
    expect(received[0]?.envelope.from).toBe("feedback@arf.mail.yahoo.com");
    expect(await parseInboundReport(received[0]?.raw ?? Buffer.alloc(0))).toMatchObject({
      kind: "complaint",
    });
  });

  it("turns away connections past maxClients with 421", async () => {
    const listener = await started({ onMessage: () => {}, maxClients: 1 });
    const greeting = (socket: ReturnType<typeof connect>) =>
      new Promise<string>((resolve) => socket.once("data", (data) => resolve(String(data))));
    const first = connect(listener.port, "127.0.0.1");
    expect(await greeting(first)).toMatch(/^220 /);
    const second = connect(listener.port, "127.0.0.1");
    expect(await greeting(second)).toMatch(/^421 /);
    first.destroy();
    second.destroy();
  });
});
