import { Sha256 } from "@aws-crypto/sha256-js";
import {
  AccountSuspendedException,
  BadRequestException,
  LimitExceededException,
  MailFromDomainNotVerifiedException,
  MessageRejected,
  NotFoundException,
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  SendingPausedException,
  TooManyRequestsException,
} from "@aws-sdk/client-sesv2";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsTestCredentials } from "./aws-sigv4.ts";
import { SES_ERRORS, SES_TEST_CREDENTIALS, type SesErrorName, SesServer } from "./ses-server.ts";

const server = new SesServer();
let client: SESv2Client;

beforeAll(async () => {
  await server.listen();
  client = new SESv2Client({
    region: server.region,
    endpoint: server.endpoint,
    credentials: SES_TEST_CREDENTIALS,
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await server.close();
});

const RAW = Buffer.from(
  "From: Acme <news@acme.test>\r\nTo: ann@example.org\r\nCc: carl@example.org\r\n" +
    "Bcc: bob@hidden.example\r\nSubject: hi\r\n\r\nHello\r\n",
);

/** A SendEmail request signed as the SDK signs it, for tests that then spoil a part of it. */
async function signed(body: string, credentials: AwsTestCredentials = SES_TEST_CREDENTIALS) {
  const url = new URL("/v2/email/outbound-emails", server.endpoint);
  const signer = new SignatureV4({
    credentials,
    region: server.region,
    service: "ses",
    sha256: Sha256,
  });
  const request = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query: {},
    headers: { host: url.host, "content-type": "application/json" },
    body,
  });
  return { url, headers: request.headers as Record<string, string> };
}

async function errorOf(response: Response) {
  return {
    status: response.status,
    type: response.headers.get("x-amzn-errortype")?.split(":")[0],
    body: (await response.json()) as { message?: string },
  };
}

describe("SesServer speaks SES v2's wire format", () => {
  const modeled: Partial<Record<SesErrorName, new (...args: never[]) => Error>> = {
    TooManyRequestsException,
    LimitExceededException,
    MessageRejected,
    AccountSuspendedException,
    SendingPausedException,
    MailFromDomainNotVerifiedException,
    NotFoundException,
    BadRequestException,
  };

  it.each(Object.keys(SES_ERRORS) as SesErrorName[])(
    "answers %s so that the SDK raises it by name",
    async (name) => {
      server.failNext(1, name);

      const error = await client
        .send(new SendEmailCommand({ Content: { Raw: { Data: RAW } } }))
        .catch((thrown: unknown) => thrown);

      expect(error).toBeInstanceOf(SESv2ServiceException);
      const exception = error as SESv2ServiceException;
      expect(exception.name).toBe(name);
      expect(exception.message).toBe(SES_ERRORS[name].message);
      expect(exception.$metadata.httpStatusCode).toBe(SES_ERRORS[name].status);
      expect(exception.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(exception.$fault).toBe(SES_ERRORS[name].status >= 500 ? "server" : "client");
      const modeledClass = modeled[name];
      if (modeledClass) expect(error).toBeInstanceOf(modeledClass);
    },
  );

  it("takes the recipients from the headers when the request has no Destination", async () => {
    const output = await client.send(new SendEmailCommand({ Content: { Raw: { Data: RAW } } }));

    const stored = server.emails.find((email) => email.messageId === output.MessageId);
    expect(stored?.destination).toBeNull();
    expect(stored?.recipients).toEqual([
      "ann@example.org",
      "carl@example.org",
      "bob@hidden.example",
    ]);
    expect(stored?.raw).toEqual(RAW);
  });

  it("refuses an unsigned request", async () => {
    const response = await fetch(new URL("/v2/email/outbound-emails", server.endpoint), {
      method: "POST",
      body: "{}",
    });

    expect(await errorOf(response)).toEqual({
      status: 403,
      type: "MissingAuthenticationTokenException",
      body: { message: "Missing Authentication Token" },
    });
  });

  it("refuses a body changed after signing", async () => {
    const body = JSON.stringify({ Content: { Raw: { Data: RAW.toString("base64") } } });
    const { url, headers } = await signed(body);

    const response = await fetch(url, {
      method: "POST",
      headers,
      body: body.replace("}}}", '}},"X":1}'),
    });

    const error = await errorOf(response);
    expect(error.status).toBe(403);
    expect(error.type).toBe("InvalidSignatureException");
    expect(error.body.message).toMatch(/^The request signature we calculated does not match/);
  });

  it("answers a body that is not JSON with a SerializationException", async () => {
    const body = "{not json";
    const { url, headers } = await signed(body);

    const response = await fetch(url, { method: "POST", headers, body });

    expect((await errorOf(response)).type).toBe("SerializationException");
  });

  it("answers a message without a From header with a BadRequestException", async () => {
    const raw = Buffer.from("To: ann@example.org\r\n\r\nno sender\r\n").toString("base64");
    const body = JSON.stringify({ Content: { Raw: { Data: raw } } });
    const { url, headers } = await signed(body);

    const response = await fetch(url, { method: "POST", headers, body });

    expect(await errorOf(response)).toMatchObject({
      status: 400,
      type: "BadRequestException",
      body: { message: "Missing required header 'From'." },
    });
  });

  it("answers another operation with UnknownOperationException", async () => {
    const response = await fetch(new URL("/v2/email/account", server.endpoint));

    expect((await errorOf(response)).status).toBe(404);
  });
});
