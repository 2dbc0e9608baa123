import { sign } from "node:crypto";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bounceNotification,
  complaintEvent,
  deliveryNotification,
  ids,
} from "./__fixtures__/ses-events.ts";
import {
  type CertificateFetcher,
  createCertificateFetcher,
  parseSesNotification,
  SnsVerificationError,
  type VerifySnsOptions,
  verifySnsMessage,
} from "./sns.ts";

const TOPIC = "arn:aws:sns:us-west-2:123456789012:ses-feedback";

interface Signer {
  key: string;
  certUrl: string;
}

let server: Server;
let base: string;
const requests: string[] = [];
let signer: Signer;
let otherKey: string;
let fetchCertificate: CertificateFetcher;
let options: VerifySnsOptions;
const pems = new Map<string, string>();

/**
 * A real HTTPS server on localhost (its own self-signed TLS certificate, trusted by the fetcher
 * through `ca`) serves the signing certificates, as sns.<region>.amazonaws.com does.
 */
beforeAll(async () => {
  const [tls, signing, other, expired] = await Promise.all([
    generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      algorithm: "sha256",
      extensions: [
        {
          name: "subjectAltName",
          altNames: [
            { type: 2, value: "localhost" },
            { type: 7, ip: "127.0.0.1" },
          ],
        },
      ],
    }),
    generate([{ name: "commonName", value: "sns.amazonaws.com" }], {
      keySize: 2048,
      algorithm: "sha256",
    }),
    generate([{ name: "commonName", value: "sns.amazonaws.com" }], {
      keySize: 2048,
      algorithm: "sha256",
    }),
    generate([{ name: "commonName", value: "sns.amazonaws.com" }], {
      keySize: 2048,
      algorithm: "sha256",
      notBeforeDate: new Date(Date.now() - 3 * 86_400_000),
      notAfterDate: new Date(Date.now() - 86_400_000),
    }),
  ]);
  pems.set("/SimpleNotificationService-current.pem", signing.cert);
  pems.set("/SimpleNotificationService-expired.pem", expired.cert);
  pems.set(
    "/not-a-certificate.pem",
    "-----BEGIN CERTIFICATE-----\nbm9wZQ==\n-----END CERTIFICATE-----\n",
  );
  otherKey = other.private;

  server = createServer({ key: tls.private, cert: tls.cert }, (req, res) => {
    requests.push(req.url ?? "");
    const pem = pems.get(req.url ?? "");
    res.writeHead(pem ? 200 : 404, { "content-type": "text/plain" }).end(pem ?? "not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://localhost:${(server.address() as AddressInfo).port}`;
  signer = { key: signing.private, certUrl: `${base}/SimpleNotificationService-current.pem` };
  fetchCertificate = createCertificateFetcher({ ca: tls.cert });
  options = { fetchCertificate, certificateHost: /^localhost$/, allowedTopicArns: [TOPIC] };
}, 60_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/**
 * Signs as SNS does, written out from the documentation rather than reusing the code under
 * test: `Name\nvalue\n` for Message, MessageId, Subject (when present), Timestamp, TopicArn,
 * Type; confirmations sign SubscribeURL and Token in place of Subject.
 */
function signed(
  message: Record<string, string>,
  version: "1" | "2",
  by: Signer = signer,
): Record<string, string> {
  const keys =
    message.Type === "Notification"
      ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
      : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
  const canonical = keys
    .filter((key) => message[key] !== undefined)
    .map((key) => `${key}\n${message[key]}\n`)
    .join("");
  const signature = sign(version === "1" ? "sha1" : "sha256", Buffer.from(canonical), by.key);
  return {
    ...message,
    SignatureVersion: version,
    Signature: signature.toString("base64"),
    SigningCertURL: by.certUrl,
  };
}

function notification(
  sesEvent: object,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    Type: "Notification",
    MessageId: crypto.randomUUID(),
    TopicArn: TOPIC,
    Message: JSON.stringify(sesEvent),
    Timestamp: new Date().toISOString(),
    UnsubscribeURL: `${base}/?Action=Unsubscribe&SubscriptionArn=${TOPIC}:7c1b2a3d`,
    ...extra,
  };
}

function confirmation(type = "SubscriptionConfirmation"): Record<string, string> {
  return {
    Type: type,
    MessageId: crypto.randomUUID(),
    Token: "2336412f37fb687f5d51e6e2425f004aed8a2e2d1f0e9f8d7c6b5a4a3b2c1d0e",
    TopicArn: TOPIC,
    Message: `You have chosen to subscribe to the topic ${TOPIC}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`,
    SubscribeURL: `${base}/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f`,
    Timestamp: new Date().toISOString(),
  };
}

async function refusal(body: unknown, opts: VerifySnsOptions = options): Promise<string> {
  try {
    await verifySnsMessage(body, opts);
  } catch (error) {
    if (error instanceof SnsVerificationError) return error.code;
    throw error;
  }
  throw new Error("the message was accepted");
}

describe("verifySnsMessage: genuine messages", () => {
  it("accepts an SES bounce notification signed with SignatureVersion 1 (SHA1withRSA)", async () => {
    const message = await verifySnsMessage(signed(notification(bounceNotification), "1"), options);
    expect(message.Type).toBe("Notification");
    const event = parseSesNotification(message.Message);
    expect(event).toMatchObject({
      type: "bounce",
      bounceType: "Permanent",
      recipients: [{ emailAddress: "ghost@example.org", status: "5.1.1" }],
      mail: { messageId: ids.sesMessageId, headerMessageId: ids.headerMessageId },
    });
  });

  it("accepts a complaint signed with SignatureVersion 2 (SHA256withRSA), sent as raw JSON text", async () => {
    const body = JSON.stringify(signed(notification(complaintEvent), "2"));
    const message = await verifySnsMessage(body, options);
    expect(parseSesNotification(message.Message)).toMatchObject({
      type: "complaint",
      recipients: ["reader@example.net"],
      feedbackType: "abuse",
    });
  });

  it("accepts a delivery whose notification has a Subject, which is then signed too", async () => {
    const body = signed(
      notification(deliveryNotification, { Subject: "Amazon SES Email Event Notification" }),
      "2",
    );
    const message = await verifySnsMessage(body, options);
    expect(message.Type === "Notification" && message.Subject).toBe(
      "Amazon SES Email Event Notification",
    );
    expect(parseSesNotification(message.Message)).toMatchObject({
      type: "delivery",
      recipients: ["reader@example.net"],
      processingTimeMillis: 1300,
    });
  });

  it("accepts subscription and unsubscribe confirmations, with both signature versions", async () => {
    for (const version of ["1", "2"] as const) {
      const message = await verifySnsMessage(signed(confirmation(), version), options);
      expect(message).toMatchObject({
        Type: "SubscriptionConfirmation",
        SubscribeURL: expect.stringContaining("Action=ConfirmSubscription"),
      });
    }
    const unsubscribe = await verifySnsMessage(
      signed(confirmation("UnsubscribeConfirmation"), "2"),
      options,
    );
    expect(unsubscribe.Type).toBe("UnsubscribeConfirmation");
  });

  it("fetches a signing certificate once and reuses it", async () => {
    // A fetcher of its own gets a cache of its own: count what it asks for.
    let calls = 0;
    const counting: CertificateFetcher = (url) => {
      calls++;
      return fetchCertificate(url);
    };
    for (let i = 0; i < 3; i++) {
      await verifySnsMessage(signed(notification(bounceNotification), "2"), {
        ...options,
        fetchCertificate: counting,
      });
    }
    expect(calls).toBe(1);
  });
});

describe("verifySnsMessage: refusals", () => {
  it("refuses a tampered Message, Subject or Timestamp", async () => {
    const genuine = signed(notification(bounceNotification, { Subject: "Bounce" }), "1");
    const tampered = JSON.parse(genuine.Message ?? "{}");
    tampered.bounce.bouncedRecipients[0].emailAddress = "victim@example.com";
    expect(await refusal({ ...genuine, Message: JSON.stringify(tampered) })).toBe(
      "invalid_signature",
    );
    expect(await refusal({ ...genuine, Subject: "Other" })).toBe("invalid_signature");
    expect(
      await refusal({ ...genuine, Timestamp: new Date(Date.now() - 1000).toISOString() }),
    ).toBe("invalid_signature");
    const confirmationBody = signed(confirmation(), "2");
    expect(await refusal({ ...confirmationBody, Token: "another-token" })).toBe(
      "invalid_signature",
    );
  });

  it("refuses a signature by another key, a version mismatch and a signature that is not base64", async () => {
    const forged = signed(notification(bounceNotification), "2", {
      key: otherKey,
      certUrl: signer.certUrl,
    });
    expect(await refusal(forged)).toBe("invalid_signature");
    // Signed with SHA1 but claiming version 2.
    expect(
      await refusal({ ...signed(notification(bounceNotification), "1"), SignatureVersion: "2" }),
    ).toBe("invalid_signature");
    expect(
      await refusal({ ...signed(notification(bounceNotification), "2"), Signature: "%%%" }),
    ).toBe("invalid_signature");
  });

  it("refuses a certificate URL on another host, without fetching it", async () => {
    const before = requests.length;
    const body = signed(notification(bounceNotification), "2", {
      key: signer.key,
      certUrl:
        "https://sns.us-west-2.amazonaws.com.evil.example/SimpleNotificationService-current.pem",
    });
    expect(await refusal(body)).toBe("untrusted_certificate_url");
    // With the default pattern, the test server's own host is no SNS host either.
    expect(
      await refusal(signed(notification(bounceNotification), "2"), {
        ...options,
        certificateHost: undefined,
      }),
    ).toBe("untrusted_certificate_url");
    expect(requests.length).toBe(before);
  });

  it("refuses an http certificate URL, or one with credentials, even on a trusted host", async () => {
    const http = signed(notification(bounceNotification), "2", {
      key: signer.key,
      certUrl: signer.certUrl.replace("https:", "http:"),
    });
    expect(await refusal(http)).toBe("untrusted_certificate_url");
    const withCredentials = signed(notification(bounceNotification), "2", {
      key: signer.key,
      certUrl: signer.certUrl.replace("https://", "https://user:pw@"),
    });
    expect(await refusal(withCredentials)).toBe("untrusted_certificate_url");
    expect(
      await refusal({
        ...signed(notification(bounceNotification), "2"),
        SigningCertURL: "not a url",
      }),
    ).toBe("untrusted_certificate_url");
  });

  it("refuses a confirmation whose SubscribeURL points elsewhere", async () => {
    const body = signed(
      { ...confirmation(), SubscribeURL: "https://attacker.example/confirm" },
      "2",
    );
    expect(await refusal(body)).toBe("untrusted_subscribe_url");
  });

  it("refuses a stale timestamp, and one from the future, before fetching anything", async () => {
    const before = requests.length;
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000).toISOString();
    expect(await refusal(signed(notification(bounceNotification, { Timestamp: old }), "2"))).toBe(
      "stale_message",
    );
    const future = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    expect(
      await refusal(signed(notification(bounceNotification, { Timestamp: future }), "2")),
    ).toBe("stale_message");
    // The maximum age is configurable.
    const minuteOld = new Date(Date.now() - 60_000).toISOString();
    const body = signed(notification(bounceNotification, { Timestamp: minuteOld }), "2");
    expect(await refusal(body, { ...options, maxAgeMs: 30_000 })).toBe("stale_message");
    await expect(verifySnsMessage(body, options)).resolves.toMatchObject({ Type: "Notification" });
    expect(requests.length).toBe(before);
  });

  it("refuses a topic we did not subscribe to", async () => {
    const body = signed(
      notification(bounceNotification, { TopicArn: "arn:aws:sns:us-west-2:999999999999:theirs" }),
      "2",
    );
    expect(await refusal(body)).toBe("topic_not_allowed");
  });

  it("refuses malformed bodies and unknown signature versions", async () => {
    const genuine = signed(notification(bounceNotification), "2");
    const { Signature: _, ...unsigned } = genuine;
    const cases: unknown[] = [
      undefined,
      null,
      42,
      "not json",
      Buffer.from("{"),
      [],
      {},
      unsigned,
      { ...genuine, Type: "Something" },
      { ...genuine, Message: { nested: true } },
      { ...genuine, Timestamp: "yesterday" },
      {
        ...confirmation(),
        SignatureVersion: "1",
        Signature: "x",
        SigningCertURL: signer.certUrl,
        Token: undefined,
      },
    ];
    for (const body of cases) expect(await refusal(body)).toBe("malformed_message");
    expect(await refusal({ ...genuine, SignatureVersion: "3" })).toBe(
      "unsupported_signature_version",
    );
  });

  it("refuses when the certificate cannot be fetched, is not one, or has expired", async () => {
    const at = (path: string) => ({ key: signer.key, certUrl: `${base}${path}` });
    const missing = signed(
      notification(bounceNotification),
      "2",
      at("/SimpleNotificationService-gone.pem"),
    );
    expect(await refusal(missing)).toBe("certificate_unavailable");
    // A failure is not cached: the next message asks again.
    const before = requests.length;
    expect(await refusal(missing)).toBe("certificate_unavailable");
    expect(requests.length).toBe(before + 1);

    const garbage = signed(notification(bounceNotification), "2", at("/not-a-certificate.pem"));
    expect(await refusal(garbage)).toBe("invalid_certificate");
    const expired = signed(
      notification(bounceNotification),
      "2",
      at("/SimpleNotificationService-expired.pem"),
    );
    expect(await refusal(expired)).toBe("invalid_certificate");
  });

  it("refuses when TLS to the certificate host cannot be verified", async () => {
    // The system's CAs do not know the test server's certificate.
    const untrusting = { ...options, fetchCertificate: createCertificateFetcher() };
    expect(await refusal(signed(notification(bounceNotification), "2"), untrusting)).toBe(
      "certificate_unavailable",
    );
  });
});
