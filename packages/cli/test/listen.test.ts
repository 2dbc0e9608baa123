/**
 * listen --forward-to: each event POSTed to a local server, signed with the printed secret
 * (checked with standardwebhooks and with svix), failures reported without stopping, and the
 * stream resumed after an outage.
 */
import { Webhook as StandardWebhook } from "standardwebhooks";
import { Webhook as SvixWebhook } from "svix";
import { afterEach, describe, expect, it } from "vitest";
import { cuttableProxy, type Received, webhookReceiver } from "./support/servers.ts";
import { live, newHome, Running, sendEmail, unique } from "./support/thrive.ts";

const home = newHome();
const env = { ...home.env, THRIVE_API_KEY: live.apiKey, THRIVE_BASE_URL: live.url };
const cleanups: (() => Promise<unknown>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Checks a forwarded request both ways; answers its payload. */
function verified(
  request: Received,
  secret: string,
): { type: string; data: Record<string, unknown> } {
  const header = (name: string) => String(request.headers[name]);
  const standard = new StandardWebhook(secret).verify(request.body, {
    "webhook-id": header("webhook-id"),
    "webhook-timestamp": header("webhook-timestamp"),
    "webhook-signature": header("webhook-signature"),
  });
  new SvixWebhook(secret).verify(request.body, {
    "svix-id": header("svix-id"),
    "svix-timestamp": header("svix-timestamp"),
    "svix-signature": header("svix-signature"),
  });
  return standard as { type: string; data: Record<string, unknown> };
}

function sendTo(to: string): Promise<string> {
  return sendEmail(live.apiKey, {
    from: "listen@acme.dev",
    to: [to],
    subject: unique("Listen"),
    text: "x",
  });
}

describe("thrive listen", () => {
  it("forwards each event signed with the secret it prints, and goes on after the local server fails", async () => {
    // Other test files send too: this test looks at its own email only, known by its subject.
    const subject = unique("Listen");
    const mine = (request: Received) => request.body.includes(subject);
    // The local server fails on the email's first event (500) and takes the next (200).
    const receiver = await webhookReceiver((request) =>
      mine(request) && request.body.includes('"type":"email.sent"') ? 500 : 200,
    );
    cleanups.push(receiver.close);
    const listen = new Running(["listen", "--forward-to", receiver.url, "--events", "email.*"], {
      env,
    });
    cleanups.push(() => listen.stop());

    const secret = await listen.until(
      () => listen.stderr.join("\n").match(/signing secret is (whsec_[A-Za-z0-9+/=]+)/)?.[1],
      "the signing secret",
    );
    const emailId = await sendEmail(live.apiKey, {
      from: "listen@acme.dev",
      to: ["listen@example.com"],
      subject,
      text: "x",
    });
    const requests = await listen.until(() => {
      const found = receiver.received.filter(mine);
      return found.length >= 2 ? found : undefined;
    }, "two forwarded events");

    const payloads = requests.map((request) => verified(request, secret));
    expect(payloads.map((payload) => payload.type).sort()).toEqual([
      "email.delivered",
      "email.sent",
    ]);
    for (const [index, request] of requests.entries()) {
      expect(request.headers["content-type"]).toBe("application/json");
      expect(request.headers["webhook-id"]).toBe(request.headers["svix-id"]);
      expect(payloads[index]?.data.email_id).toBe(emailId);
    }
    // A signature made with another secret does not verify.
    expect(() =>
      verified(requests[0] as Received, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
    ).toThrow();

    // One line per forward, by event id: the 500 is reported and listening went on.
    const lineOf = (type: string) => {
      const index = payloads.findIndex((payload) => payload.type === type);
      const id = String(requests[index]?.headers["webhook-id"]);
      return listen.until(
        () => listen.stdout.find((line) => line.includes(id)),
        `the ${type} line`,
      );
    };
    expect(await lineOf("email.sent")).toMatch(
      new RegExp(
        `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  email\\.sent\\s+\\S+  → POST ${receiver.url}  \\[500\\]  \\d+ ms$`,
      ),
    );
    expect(await lineOf("email.delivered")).toMatch(
      new RegExp(`email\\.delivered\\s+\\S+  → POST ${receiver.url}  \\[200\\]  \\d+ ms$`),
    );
    expect(await listen.stop()).toBe(0);
  });

  it("reuses --secret, filters with --events, reports a local server that is down (--json)", async () => {
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const receiver = await webhookReceiver(() => 204);
    const down = await webhookReceiver(() => 204);
    await down.close(); // a port nothing listens on any more
    cleanups.push(receiver.close);

    const toReceiver = new Running(
      [
        "listen",
        "--forward-to",
        receiver.url,
        "--secret",
        secret,
        "--events",
        "email.delivered",
        "--json",
      ],
      { env },
    );
    const toNowhere = new Running(["listen", "--forward-to", down.url, "--json"], { env });
    cleanups.push(
      () => toReceiver.stop(),
      () => toNowhere.stop(),
    );
    for (const listen of [toReceiver, toNowhere]) {
      const ready = await listen.until(() => listen.stdout[0], "the listener line");
      expect(JSON.parse(ready)).toMatchObject({ object: "listener", base_url: live.url });
    }
    expect(JSON.parse(toReceiver.stdout[0] as string).secret).toBe(secret);

    const emailId = await sendTo("json@example.com");
    const forwarded = await toReceiver.until(
      () =>
        toReceiver.stdout
          .slice(1)
          .map((line) => JSON.parse(line))
          .find((line) => line.status === 204),
      "a forward",
    );
    expect(forwarded).toMatchObject({ object: "forward", type: "email.delivered", status: 204 });
    expect(verified(receiver.received[0] as Received, secret)).toMatchObject({
      type: "email.delivered",
      data: { email_id: emailId },
    });
    // email.sent was not asked for.
    expect(receiver.received.filter((request) => request.body.includes(emailId))).toHaveLength(1);

    // The email's events (and any other) were tried against the server that is down, and
    // each reported: one failure did not stop the next.
    const failures = await toNowhere.until(() => {
      const lines = toNowhere.stdout.slice(1).map((line) => JSON.parse(line));
      return lines.length >= 2 ? lines : undefined;
    }, "two failed forwards");
    for (const failure of failures) {
      expect(failure).toMatchObject({ object: "forward", status: null, error: "ECONNREFUSED" });
    }
    expect(await toNowhere.stop()).toBe(0);
  });

  it("resumes after the connection to the API drops, with what was recorded meanwhile", async () => {
    const receiver = await webhookReceiver(() => 200);
    const proxy = await cuttableProxy(live.url);
    cleanups.push(receiver.close, proxy.close);
    const listen = new Running(
      [
        "listen",
        "--forward-to",
        receiver.url,
        "--events",
        "email.delivered",
        "--base-url",
        proxy.url,
      ],
      { env },
    );
    cleanups.push(() => listen.stop());
    const secret = await listen.until(
      () => listen.stderr.join("\n").match(/signing secret is (whsec_\S+)/)?.[1],
      "the signing secret",
    );
    const before = await sendTo("before@example.com");
    await listen.until(
      () => receiver.received.find((r) => r.body.includes(before)),
      "the first event",
    );

    await proxy.cut();
    const during = await sendTo("during@example.com");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await proxy.restore();

    const resumed = await listen.until(
      () => receiver.received.find((r) => r.body.includes(during)),
      "the event recorded during the outage",
      20_000,
    );
    expect(verified(resumed, secret).data.email_id).toBe(during);
    const messages = listen.stderr.join("\n");
    expect(messages).toContain("Connection lost; reconnecting (resuming after");
    expect(messages).toContain("Reconnected.");
    expect(await listen.stop()).toBe(0);
  });

  it("is a usage error without --forward-to, with a URL that is not http(s), or a bad secret", async () => {
    for (const args of [
      ["listen"],
      ["listen", "--forward-to", "localhost:3000"],
      ["listen", "--forward-to", "http://localhost:3000", "--secret", "not-a-secret"],
    ]) {
      const run = new Running(args, { env });
      expect(await run.exited()).toBe(2);
      expect(run.stderr.join("\n")).toMatch(/--forward-to|--secret/);
    }
  });
});
