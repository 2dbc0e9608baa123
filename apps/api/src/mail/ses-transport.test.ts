import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../test/free-port.ts";
import { SES_TEST_CREDENTIALS, type SesErrorName, SesServer } from "../test/ses-server.ts";
import { allRecipients, type ComposableEmail, composeMessage } from "./compose.ts";
import { createSesTransport, type SesTransportOptions } from "./ses-transport.ts";
import { type MailTransport, TransportError } from "./transport.ts";

const server = new SesServer({
  region: "eu-west-1",
  configurationSets: ["thrive-events"],
  verifiedIdentities: ["acme.test"],
});
const transports: MailTransport[] = [];

beforeAll(async () => {
  await server.listen();
});
afterEach(() => server.clearFailures());
afterAll(async () => {
  await Promise.all(transports.map((transport) => transport.close()));
  await server.close();
});

/** A transport to the local SES; one attempt per send unless a test is about retries. */
function transport(options: Partial<SesTransportOptions> = {}): MailTransport {
  const created = createSesTransport({
    region: server.region,
    endpoint: server.endpoint,
    credentials: SES_TEST_CREDENTIALS,
    maxAttempts: 1,
    ...options,
  });
  transports.push(created);
  return created;
}

let sequence = 0;
function email(overrides: Partial<ComposableEmail> = {}): ComposableEmail {
  sequence++;
  return {
    from: "Acme News <news@acme.test>",
    to: [`Ann Example <ann${sequence}@example.org>`],
    cc: null,
    bcc: null,
    replyTo: null,
    subject: `Issue ${sequence}`,
    html: "<p>Hello <b>there</b></p>",
    text: null,
    headers: null,
    messageId: `<msg-${sequence}@acme.test>`,
    ...overrides,
  };
}

function message(composable: ComposableEmail, recipients = allRecipients(composable)) {
  return composeMessage(composable, [], recipients, new Date("2025-01-02T03:04:05Z"));
}

async function sendError(
  target: MailTransport,
  composable: ComposableEmail = email(),
): Promise<TransportError> {
  const error = await target.send(message(composable)).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

describe("createSesTransport: accepted sends", () => {
  it("hands SES the MIME it built: headers, both parts, attachments", async () => {
    const composable = email({
      text: "Hello there, in plain text",
      replyTo: ["Support <support@acme.test>"],
      headers: { "X-Campaign": "spring" },
    });
    const outgoing = composeMessage(
      composable,
      [
        {
          filename: "report.csv",
          contentType: "text/csv",
          contentId: null,
          content: Buffer.from("a,b\n1,2\n"),
        },
        {
          filename: "logo.png",
          contentType: "image/png",
          contentId: "logo@acme",
          content: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
        },
      ],
      allRecipients(composable),
      new Date("2025-01-02T03:04:05Z"),
    );

    const report = await transport().send(outgoing);

    const stored = server.emails.at(-1);
    expect(stored).toBeDefined();
    const parsed = await simpleParser(stored?.raw ?? Buffer.alloc(0));
    expect(parsed.from?.text).toBe('"Acme News" <news@acme.test>');
    expect(parsed.to && !Array.isArray(parsed.to) && parsed.to.value[0]?.address).toBe(
      composable.to[0]?.replace(/.*<|>/g, ""),
    );
    expect(parsed.replyTo?.value[0]?.address).toBe("support@acme.test");
    expect(parsed.subject).toBe(composable.subject);
    expect(parsed.messageId).toBe(composable.messageId);
    expect(parsed.date?.toISOString()).toBe("2025-01-02T03:04:05.000Z");
    expect(parsed.headers.get("x-campaign")).toBe("spring");
    expect(parsed.html).toContain("Hello <b>there</b>");
    expect(parsed.text?.trim()).toBe("Hello there, in plain text");
    const attachment = (name: string) => parsed.attachments.find((a) => a.filename === name);
    expect(parsed.attachments).toHaveLength(2);
    expect(attachment("report.csv")?.contentType).toBe("text/csv");
    expect(attachment("report.csv")?.content.toString()).toBe("a,b\n1,2\n");
    expect(attachment("logo.png")?.content).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]),
    );
    expect(attachment("logo.png")?.cid).toBe("logo@acme");
    // The From header keeps its display name: FromEmailAddress would make SES rewrite it.
    expect(stored?.fromEmailAddress).toBeNull();
    expect(stored?.feedbackForwardingEmailAddress).toBeNull();

    expect(report).toEqual({
      accepted: outgoing.envelope.to,
      rejected: [],
      response: `ses:${stored?.messageId}`,
    });
    expect(report.response).toMatch(/^ses:0100[0-9a-f]{12}-[0-9a-f-]{36}-000000$/);
  });

  it("delivers to Bcc recipients without showing them in the headers", async () => {
    const composable = email({
      to: ["Ann <ann@example.org>", "carl@example.org"],
      cc: ["Dee <dee@example.net>"],
      bcc: ["bob@hidden.example", "Eve <eve@hidden.example>"],
    });

    const report = await transport().send(message(composable));

    const stored = server.emails.at(-1);
    expect(stored?.destination).toEqual({
      ToAddresses: ["ann@example.org", "carl@example.org"],
      CcAddresses: ["dee@example.net"],
      BccAddresses: ["bob@hidden.example", "eve@hidden.example"],
    });
    expect(stored?.recipients).toEqual(report.accepted);
    expect(report.accepted).toEqual([
      "ann@example.org",
      "carl@example.org",
      "dee@example.net",
      "bob@hidden.example",
      "eve@hidden.example",
    ]);
    const raw = stored?.raw.toString() ?? "";
    expect(raw).not.toContain("hidden.example");
    expect(raw).not.toMatch(/^bcc:/im);
    const parsed = await simpleParser(stored?.raw ?? Buffer.alloc(0));
    expect(parsed.bcc).toBeUndefined();
    expect(parsed.cc && !Array.isArray(parsed.cc) && parsed.cc.text).toBe(
      '"Dee" <dee@example.net>',
    );
  });

  it("sends a retry only to the envelope's recipients, not to everyone in the headers", async () => {
    const composable = email({ to: ["ann@example.org"], bcc: ["bob@hidden.example"] });

    const report = await transport().send(message(composable, ["bob@hidden.example"]));

    expect(report.accepted).toEqual(["bob@hidden.example"]);
    expect(server.emails.at(-1)?.destination).toEqual({ BccAddresses: ["bob@hidden.example"] });
    expect(server.emails.at(-1)?.recipients).toEqual(["bob@hidden.example"]);
  });

  it("refuses to send with no envelope recipient, which SES would read as 'the headers'", async () => {
    const before = server.requestCount;
    await expect(transport().send(message(email(), []))).rejects.toThrow(
      /at least one envelope recipient/,
    );
    expect(server.requestCount).toBe(before);
  });

  it("names its configuration set, and asks for feedback at an envelope sender other than From", async () => {
    const composable = email();
    const outgoing = message(composable);
    outgoing.envelope.from = "bounces@acme.test";

    await transport({ configurationSetName: "thrive-events" }).send(outgoing);

    expect(server.emails.at(-1)?.configurationSetName).toBe("thrive-events");
    expect(server.emails.at(-1)?.feedbackForwardingEmailAddress).toBe("bounces@acme.test");
  });

  it("retries once by default, quickly, when SES is briefly unavailable", async () => {
    server.failNext(1, "ServiceUnavailable");
    const before = server.requestCount;
    const stored = server.emails.length;

    const report = await transport({ maxAttempts: undefined }).send(message(email()));

    expect(report.response).toMatch(/^ses:/);
    expect(server.requestCount - before).toBe(2);
    expect(server.emails.length).toBe(stored + 1);
  });

  it("gives up after its second attempt, leaving later retries to the worker's backoff", async () => {
    server.failNext(3, "ServiceUnavailable");
    const before = server.requestCount;

    const error = await sendError(transport({ maxAttempts: undefined }));

    expect(server.requestCount - before).toBe(2);
    expect(error.reply.bounceClass).toBe("soft");
  });
});

describe("createSesTransport: refusals", () => {
  it.each<[SesErrorName, string, number, "hard" | "soft", boolean]>([
    ["MessageRejected", "5.7.1", 554, "hard", false],
    ["BadRequestException", "5.5.4", 554, "hard", false],
    ["TooManyRequestsException", "4.4.5", 451, "soft", true],
    ["LimitExceededException", "4.4.5", 451, "soft", true],
    ["AccountSuspendedException", "4.7.1", 451, "soft", true],
    ["SendingPausedException", "4.7.1", 451, "soft", true],
    ["MailFromDomainNotVerifiedException", "4.3.5", 451, "soft", true],
    ["NotFoundException", "4.3.5", 451, "soft", true],
    ["InternalFailure", "4.3.0", 451, "soft", true],
    ["ServiceUnavailable", "4.3.2", 451, "soft", true],
  ])(
    "%s → %s (%s), %s bounce, provider fault: %s",
    async (name, enhancedCode, code, bounceClass, providerFault) => {
      server.failNext(1, name);

      const error = await sendError(transport());

      expect(error.reply).toMatchObject({ code, enhancedCode, bounceClass });
      expect(error.providerFault).toBe(providerFault);
      expect(error.rejected).toEqual([]);
      expect(error.reply.response).toMatch(
        new RegExp(`^SES ${name} \\(HTTP \\d{3}\\): .+ \\[request [0-9a-f-]{36}\\]$`),
      );
    },
  );

  it("bounces all recipients when SES refuses the message to one of them", async () => {
    server.failFor("virus-scanner@example.org", {
      error: "MessageRejected",
      message: "Message rejected: the message contains a virus.",
    });

    const error = await sendError(
      transport(),
      email({ to: ["ok@example.org", "virus-scanner@example.org"] }),
    );

    expect(error.reply.bounceClass).toBe("hard");
    expect(error.reply.reason).toBe("delivery not authorized, message refused");
    expect(error.reply.response).toContain("contains a virus");
    expect(error.providerFault).toBe(false);
  });

  it("treats a message too big for SES as a hard 5.3.4", async () => {
    server.failNext(1, {
      error: "MessageRejected",
      message: "Message length is more than 10485760 bytes long: '10485761'.",
    });

    const error = await sendError(transport());

    expect(error.reply).toMatchObject({ code: 552, enhancedCode: "5.3.4", bounceClass: "hard" });
  });

  it("blames the provider when the sending identity is not verified", async () => {
    const error = await sendError(transport(), email({ from: "Other <news@unverified.test>" }));

    expect(error.reply.response).toContain("Email address is not verified");
    expect(error.reply).toMatchObject({ enhancedCode: "4.3.5", bounceClass: "soft" });
    expect(error.providerFault).toBe(true);
  });

  it("blames the provider for a bad request about its identities, not the recipients", async () => {
    server.failNext(1, {
      error: "BadRequestException",
      message: "Identity news@acme.test is not authorized to send on behalf of acme.test.",
    });

    const error = await sendError(transport());

    expect(error.reply).toMatchObject({ enhancedCode: "4.3.5", bounceClass: "soft" });
    expect(error.providerFault).toBe(true);
  });

  it("blames the provider for an unknown configuration set", async () => {
    const error = await sendError(transport({ configurationSetName: "no-such-set" }));

    expect(error.reply.response).toContain("NotFoundException (HTTP 404)");
    expect(error.reply.bounceClass).toBe("soft");
    expect(error.providerFault).toBe(true);
  });
});

describe("createSesTransport: credentials and connections", () => {
  it("fails softly, as the provider's fault, with a wrong secret key", async () => {
    const stored = server.emails.length;

    const error = await sendError(
      transport({ credentials: { ...SES_TEST_CREDENTIALS, secretAccessKey: "not-the-secret" } }),
    );

    expect(error.reply).toMatchObject({ code: 454, enhancedCode: "4.7.8", bounceClass: "soft" });
    expect(error.reply.reason).toBe("authentication credentials invalid");
    expect(error.reply.response).toContain("InvalidSignatureException (HTTP 403)");
    expect(error.reply.response).not.toContain("not-the-secret");
    expect(error.providerFault).toBe(true);
    expect(server.emails.length).toBe(stored);
  });

  it("fails softly, as the provider's fault, with an unknown access key", async () => {
    const error = await sendError(
      transport({ credentials: { ...SES_TEST_CREDENTIALS, accessKeyId: "AKIAUNKNOWNKEY000000" } }),
    );

    expect(error.reply.response).toContain("UnrecognizedClientException (HTTP 403)");
    expect(error.reply.bounceClass).toBe("soft");
    expect(error.providerFault).toBe(true);
  });

  it("signs with a session token when given temporary credentials", async () => {
    const temporary = { ...SES_TEST_CREDENTIALS, sessionToken: "session-token-for-tests" };
    const stsServer = new SesServer({ credentials: temporary });
    await stsServer.listen();
    try {
      const options = { region: stsServer.region, endpoint: stsServer.endpoint };
      await transport({ ...options, credentials: temporary }).send(message(email()));
      expect(stsServer.emails).toHaveLength(1);

      const error = await sendError(transport({ ...options, credentials: SES_TEST_CREDENTIALS }));
      expect(error.reply.response).toContain("UnrecognizedClientException");
      expect(error.providerFault).toBe(true);
    } finally {
      await stsServer.close();
    }
  });

  it("takes credentials from the SDK's default chain when given none", async () => {
    const error = await withEnv(
      {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
        AWS_CONFIG_FILE: "/nonexistent/config",
        AWS_EC2_METADATA_DISABLED: "true",
      },
      () => sendError(transport({ credentials: undefined })),
    );
    expect(error.reply.response).toMatch(/^SES CredentialsProviderError: /);
    expect(error.reply).toMatchObject({ enhancedCode: "4.7.8", bounceClass: "soft" });
    expect(error.providerFault).toBe(true);

    const report = await withEnv(
      {
        AWS_ACCESS_KEY_ID: SES_TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SES_TEST_CREDENTIALS.secretAccessKey,
      },
      () => transport({ credentials: undefined }).send(message(email())),
    );
    expect(report.response).toBe(`ses:${server.emails.at(-1)?.messageId}`);
  });

  it("fails softly, as the provider's fault, when SES cannot be reached", async () => {
    const port = await freePort();

    const error = await sendError(transport({ endpoint: `http://127.0.0.1:${port}` }));

    expect(error.reply).toMatchObject({ code: 451, enhancedCode: "4.4.1", bounceClass: "soft" });
    expect(error.reply.response).toContain("ECONNREFUSED");
    expect(error.providerFault).toBe(true);
  });

  it("gives up on a request SES does not answer within the request timeout", async () => {
    const silent: Server = createServer(() => {
      // Reads the request and never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const started = Date.now();
      const error = await sendError(
        transport({ endpoint: `http://127.0.0.1:${port}`, requestTimeoutMs: 300 }),
      );

      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.reply).toMatchObject({ enhancedCode: "4.4.1", bounceClass: "soft" });
      expect(error.reply.response).toMatch(/ETIMEDOUT|TimeoutError/);
      expect(error.providerFault).toBe(true);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("is a relay, and closes its client", async () => {
    const own = createSesTransport({
      region: server.region,
      endpoint: server.endpoint,
      credentials: SES_TEST_CREDENTIALS,
    });
    expect(own.finalHop).toBe(false);
    expect(own.name).toBe("ses:eu-west-1");
    await own.send(message(email()));
    await expect(own.close()).resolves.toBeUndefined();
  });
});

/** Runs `action` with some environment variables set (or unset), then restores them. */
async function withEnv<T>(
  values: Record<string, string | undefined>,
  action: () => Promise<T>,
): Promise<T> {
  const saved = Object.fromEntries(Object.keys(values).map((key) => [key, process.env[key]]));
  const apply = (entries: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(values);
  try {
    return await action();
  } finally {
    apply(saved);
  }
}
