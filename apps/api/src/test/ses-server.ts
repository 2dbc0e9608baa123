import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type AddressObject, simpleParser } from "mailparser";
import { type AuthFailure, type AwsTestCredentials, verifySigV4 } from "./aws-sigv4.ts";

/** Credentials the local SES accepts unless told others. Not AWS's: they sign nothing real. */
export const SES_TEST_CREDENTIALS: AwsTestCredentials = {
  accessKeyId: "AKIATHRIVESENDTEST01",
  secretAccessKey: "thrive-send/local-ses/test-secret-key",
};

/**
 * The errors the local SES can be told to answer, with their HTTP status and a message like
 * the real service's. Status, `x-amzn-ErrorType` header and `{"message"}` body are what the
 * SDK's REST-JSON deserializer reads to raise its named exception classes.
 */
export const SES_ERRORS = {
  TooManyRequestsException: { status: 429, message: "Maximum sending rate exceeded." },
  LimitExceededException: { status: 400, message: "Daily message quota exceeded." },
  MessageRejected: { status: 400, message: "Message rejected: the message contains a virus." },
  AccountSuspendedException: {
    status: 400,
    message: "Your account has been suspended from sending email.",
  },
  SendingPausedException: { status: 400, message: "Email sending is paused for this account." },
  MailFromDomainNotVerifiedException: {
    status: 400,
    message: "The custom MAIL FROM domain of the sending identity is not verified.",
  },
  NotFoundException: {
    status: 404,
    message: "The resource you attempted to access doesn't exist.",
  },
  BadRequestException: { status: 400, message: "Illegal address" },
  InternalFailure: {
    status: 500,
    message: "The request processing has failed because of an unknown error, exception or failure.",
  },
  ServiceUnavailable: { status: 503, message: "Service is unavailable." },
} as const;

export type SesErrorName = keyof typeof SES_ERRORS;

/** An error to answer; the message defaults to SES_ERRORS's. */
export type SesFailure = SesErrorName | { error: SesErrorName; message?: string };

export interface SesStoredEmail {
  messageId: string;
  /** The request's Destination, as sent; null when it had none. */
  destination: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] } | null;
  /** Whom SES delivers to: the Destination's addresses, else the headers' To, Cc and Bcc. */
  recipients: string[];
  fromEmailAddress: string | null;
  feedbackForwardingEmailAddress: string | null;
  configurationSetName: string | null;
  /** The message tags (EmailTags), which SES's events carry back. */
  tags: Record<string, string>;
  raw: Buffer;
  receivedAt: Date;
}

export interface SesServerOptions {
  credentials?: AwsTestCredentials;
  region?: string;
  /** When set, a request naming another configuration set gets SES's NotFoundException. */
  configurationSets?: string[];
  /**
   * When set, the From address (or its domain) must be one of these, as SES requires verified
   * identities; otherwise MessageRejected "Email address is not verified", as SES answers.
   */
  verifiedIdentities?: string[];
}

const OPERATION_PATH = "/v2/email/outbound-emails";
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** SES's `x-amzn-ErrorType` values carry the shape's namespace after a colon. */
const SES_NAMESPACE = "http://internal.amazon.com/coral/com.amazonaws.sesv2/";
const AUTH_NAMESPACE = "http://internal.amazon.com/coral/com.amazon.coral.service/";

class Refusal extends Error {
  readonly status: number;
  readonly errorType: string;

  constructor(status: number, errorType: string, message: string) {
    super(message);
    this.status = status;
    this.errorType = errorType;
  }
}

/**
 * A local stand-in for Amazon SES API v2 that speaks its wire protocol (REST-JSON, SigV4) for
 * the one operation the SES transport calls, SendEmail with raw content. It checks the
 * signature against its test credentials, keeps what it accepted, and answers errors when
 * told to, for the next requests or for requests to a given recipient.
 */
export class SesServer {
  readonly #credentials: AwsTestCredentials;
  readonly #region: string;
  readonly #options: SesServerOptions;
  readonly #server: Server;
  readonly #emails: SesStoredEmail[] = [];
  readonly #nextFailures: SesFailure[] = [];
  readonly #recipientFailures = new Map<string, SesFailure>();
  #requests = 0;
  #port = 0;

  constructor(options: SesServerOptions = {}) {
    this.#options = options;
    this.#credentials = options.credentials ?? SES_TEST_CREDENTIALS;
    this.#region = options.region ?? "us-east-1";
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        // A bug here must still answer like AWS would, never leave the client hanging.
        const message = error instanceof Error ? error.message : String(error);
        this.#answerError(response, new Refusal(500, "InternalFailure", message), AUTH_NAMESPACE);
      });
    });
  }

  async listen(port = 0, host = "127.0.0.1"): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once("error", reject);
      this.#server.listen(port, host, () => resolve());
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this.#port;
  }

  /** The endpoint to give the SDK client. */
  get endpoint(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get region(): string {
    return this.#region;
  }

  get emails(): readonly SesStoredEmail[] {
    return this.#emails;
  }

  /** HTTP requests received, retries and refused ones included. */
  get requestCount(): number {
    return this.#requests;
  }

  /** Answers the given error to the next `count` SendEmail requests (after authentication). */
  failNext(count: number, failure: SesFailure): void {
    for (let i = 0; i < count; i++) this.#nextFailures.push(failure);
  }

  /** Answers the given error to every SendEmail request that would deliver to `recipient`. */
  failFor(recipient: string, failure: SesFailure): void {
    this.#recipientFailures.set(recipient.toLowerCase(), failure);
  }

  clearFailures(): void {
    this.#nextFailures.length = 0;
    this.#recipientFailures.clear();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.#requests++;
    const body = await readBody(request);
    if (body === null) {
      this.#answerError(
        response,
        new Refusal(413, "RequestEntityTooLarge", "Request is too large."),
      );
      return;
    }
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (request.method !== "POST" || path !== OPERATION_PATH) {
      this.#answerError(
        response,
        new Refusal(404, "UnknownOperationException", "Unknown operation"),
        AUTH_NAMESPACE,
      );
      return;
    }
    const authFailure: AuthFailure | undefined = await verifySigV4(request, body, {
      credentials: this.#credentials,
      region: this.#region,
      service: "ses",
    });
    if (authFailure) {
      const { status, errorType, message } = authFailure;
      this.#answerError(response, new Refusal(status, errorType, message), AUTH_NAMESPACE);
      return;
    }
    try {
      const messageId = await this.#sendEmail(body);
      response.writeHead(200, {
        "content-type": "application/json",
        "x-amzn-requestid": randomUUID(),
      });
      response.end(JSON.stringify({ MessageId: messageId }));
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      this.#answerError(response, error);
    }
  }

  async #sendEmail(body: Buffer): Promise<string> {
    const input = parseJson(body);
    const data = input.Content?.Raw?.Data;
    if (typeof data !== "string" || data.length === 0) {
      throw new Refusal(400, "BadRequestException", "Raw message data is required.");
    }
    const raw = Buffer.from(data, "base64");
    const parsed = await simpleParser(raw);
    const destination = input.Destination ?? null;
    const listed = [
      ...(destination?.ToAddresses ?? []),
      ...(destination?.CcAddresses ?? []),
      ...(destination?.BccAddresses ?? []),
    ];
    const recipients =
      listed.length > 0
        ? listed
        : [parsed.to, parsed.cc, parsed.bcc].flatMap((field) => addressesOf(field));
    if (recipients.length === 0) {
      throw new Refusal(400, "BadRequestException", "Missing required header 'To'.");
    }
    const from = addressesOf(parsed.from)[0];
    if (!from && !input.FromEmailAddress) {
      throw new Refusal(400, "BadRequestException", "Missing required header 'From'.");
    }

    const failure = this.#nextFailures.shift() ?? this.#failureFor(recipients);
    if (failure) {
      const name = typeof failure === "string" ? failure : failure.error;
      const custom = typeof failure === "string" ? undefined : failure.message;
      throw new Refusal(SES_ERRORS[name].status, name, custom ?? SES_ERRORS[name].message);
    }
    const { configurationSets, verifiedIdentities } = this.#options;
    const configurationSet = input.ConfigurationSetName ?? null;
    if (
      configurationSet !== null &&
      configurationSets &&
      !configurationSets.includes(configurationSet)
    ) {
      throw new Refusal(
        404,
        "NotFoundException",
        `Configuration set <${configurationSet}> does not exist.`,
      );
    }
    const sender = input.FromEmailAddress ?? from ?? "";
    if (verifiedIdentities && !isVerified(sender, verifiedIdentities)) {
      throw new Refusal(
        400,
        "MessageRejected",
        `Email address is not verified. The following identities failed the check in region ${this.#region.toUpperCase()}: ${sender}`,
      );
    }

    const messageId = `0100${Date.now().toString(16).padStart(12, "0")}-${randomUUID()}-000000`;
    this.#emails.push({
      messageId,
      destination,
      recipients,
      fromEmailAddress: input.FromEmailAddress ?? null,
      feedbackForwardingEmailAddress: input.FeedbackForwardingEmailAddress ?? null,
      configurationSetName: configurationSet,
      tags: Object.fromEntries((input.EmailTags ?? []).map((tag) => [tag.Name, tag.Value])),
      raw,
      receivedAt: new Date(),
    });
    return messageId;
  }

  #failureFor(recipients: string[]): SesFailure | undefined {
    for (const recipient of recipients) {
      const failure = this.#recipientFailures.get(recipient.toLowerCase());
      if (failure) return failure;
    }
    return undefined;
  }

  #answerError(response: ServerResponse, refusal: Refusal, namespace = SES_NAMESPACE): void {
    if (response.headersSent) {
      response.destroy();
      return;
    }
    response.writeHead(refusal.status, {
      "content-type": "application/json",
      "x-amzn-requestid": randomUUID(),
      "x-amzn-errortype": `${refusal.errorType}:${namespace}`,
    });
    response.end(JSON.stringify({ message: refusal.message }));
  }
}

interface SendEmailInput {
  Content?: { Raw?: { Data?: unknown } };
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  FromEmailAddress?: string;
  FeedbackForwardingEmailAddress?: string;
  EmailTags?: { Name: string; Value: string }[];
  ConfigurationSetName?: string;
}

function parseJson(body: Buffer): SendEmailInput {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    if (typeof value === "object" && value !== null && !Array.isArray(value)) return value;
  } catch {
    // Answered below, as SES answers a body it cannot read.
  }
  throw new Refusal(400, "SerializationException", "Could not parse the request body as JSON.");
}

/** The whole body, or null past the size limit. */
async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  if (!field) return [];
  const flatten = (entries: AddressObject["value"]): string[] =>
    entries.flatMap((entry) =>
      entry.group ? flatten(entry.group) : entry.address ? [entry.address] : [],
    );
  return [field].flat().flatMap((object) => flatten(object.value));
}

function isVerified(address: string, identities: string[]): boolean {
  const lower = address.toLowerCase();
  const domain = lower.slice(lower.lastIndexOf("@") + 1);
  return identities.some((identity) => {
    const candidate = identity.toLowerCase();
    return candidate === lower || candidate === domain;
  });
}
