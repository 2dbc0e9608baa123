import { generateKeyPairSync } from "node:crypto";
import { type AuthenticateResult, authenticate } from "mailauth";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDnsResolver } from "../lib/dns-resolver.ts";
import { startDnsServer, type TestDnsServer } from "../test/dns-server.ts";
import { MailCatcher } from "./catcher.ts";
import { mailauthResolver } from "./mailauth-resolver.ts";

const SELECTOR = "sel";
const FROM_DOMAIN = "example.test";
const RETURN_PATH_DOMAIN = "send.example.test";
const ENVELOPE_FROM = `bounces+123@${RETURN_PATH_DOMAIN}`;
const HELO = "mta.example.test";
const SENDING_IP = "127.0.0.1";
const LIST_UNSUBSCRIBE =
  "<https://example.test/unsubscribe/abc123>, <mailto:unsubscribe@example.test>";

let dns: TestDnsServer;
let catcher: MailCatcher;
let resolver: ReturnType<typeof mailauthResolver>;
let signed: { raw: Buffer; envelopeFrom: string };
let dkimRecord: string;

/** A message signed with a 2048-bit key whose public half is published on the test DNS. */
async function sendSignedMessage(): Promise<{ raw: Buffer; envelopeFrom: string }> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const spki = publicKey.export({ type: "spki", format: "der" }).toString("base64");
  dkimRecord = `v=DKIM1; k=rsa; p=${spki}`;
  dns.set(`${SELECTOR}._domainkey.${FROM_DOMAIN}`, "TXT", [dkimRecord]);

  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port: catcher.port,
    secure: false,
    ignoreTLS: true,
    name: HELO,
    dkim: {
      domainName: FROM_DOMAIN,
      keySelector: SELECTOR,
      privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    },
  });
  try {
    await transport.sendMail({
      envelope: { from: ENVELOPE_FROM, to: ["reader@receiver.test"] },
      from: `Example News <news@${FROM_DOMAIN}>`,
      to: "reader@receiver.test",
      subject: "Our September news",
      text: "Hello reader,\n\nthe news of the month.\n",
      html: "<p>Hello reader,</p><p>the news of the month.</p>",
      headers: {
        "List-Unsubscribe": LIST_UNSUBSCRIBE,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    });
  } finally {
    transport.close();
  }
  await catcher.waitFor((messages) => messages.length > 0);
  const message = catcher.messages.at(-1);
  if (!message) throw new Error("the catcher got no message");
  return { raw: message.raw, envelopeFrom: message.envelope.from };
}

function check(raw: Buffer | string, overrides: { ip?: string; strict?: boolean } = {}) {
  return authenticate(raw, {
    strict: overrides.strict ?? false,
    ip: overrides.ip ?? SENDING_IP,
    helo: HELO,
    sender: signed.envelopeFrom,
    mta: "mx.receiver.test",
    resolver,
    disableBimi: true,
  });
}

function dkimResult(result: AuthenticateResult) {
  expect(result.dkim.results).toHaveLength(1);
  const [signature] = result.dkim.results;
  if (!signature) throw new Error("no DKIM result");
  return signature;
}

function spfOf(result: AuthenticateResult) {
  if (!result.spf) throw new Error("SPF was not checked");
  return result.spf;
}

function dmarcOf(result: AuthenticateResult) {
  if (!result.dmarc) throw new Error("DMARC was not checked");
  return result.dmarc;
}

function arcOf(result: AuthenticateResult) {
  if (!result.arc) throw new Error("ARC was not checked");
  return result.arc;
}

function spfResult(result: AuthenticateResult): string {
  return spfOf(result).status.result;
}

function dmarcResult(result: AuthenticateResult): string {
  return dmarcOf(result).status.result;
}

/** The raw message with one string replaced, as a relay that alters mail would. */
function tampered(from: string, to: string): string {
  const raw = signed.raw.toString("utf8");
  expect(raw).toContain(from);
  return raw.replace(from, to);
}

beforeAll(async () => {
  dns = await startDnsServer();
  dns.set(RETURN_PATH_DOMAIN, "TXT", [`v=spf1 ip4:${SENDING_IP} -all`]);
  dns.set(RETURN_PATH_DOMAIN, "MX", [{ exchange: `feedback.${RETURN_PATH_DOMAIN}`, priority: 10 }]);
  dns.set(`_dmarc.${FROM_DOMAIN}`, "TXT", ["v=DMARC1; p=reject"]);
  dns.set(FROM_DOMAIN, "A", ["192.0.2.80"]);
  resolver = mailauthResolver(
    createDnsResolver({ servers: [dns.address], timeoutMs: 250, tries: 2 }),
  );
  catcher = new MailCatcher();
  await catcher.listen();
  signed = await sendSignedMessage();
});

afterAll(async () => {
  await catcher?.close();
  await dns?.close();
});

describe("authentication of a message we sign, through our resolver", () => {
  it("passes DKIM, SPF and DMARC with the records on the test DNS", async () => {
    expect(signed.envelopeFrom).toBe(ENVELOPE_FROM);
    const before = dns.queries.length;

    const result = await check(signed.raw);

    const dkim = dkimResult(result);
    expect(dkim.status.result).toBe("pass");
    expect(dkim.signingDomain).toBe(FROM_DOMAIN);
    expect(dkim.selector).toBe(SELECTOR);
    expect(dkim.algo).toBe("rsa-sha256");
    expect(dkim.status.aligned).toBe(FROM_DOMAIN);
    expect(spfResult(result)).toBe("pass");
    expect(spfOf(result).domain).toBe(RETURN_PATH_DOMAIN);
    expect(dmarcResult(result)).toBe("pass");
    expect(dmarcOf(result).alignment).toMatchObject({
      dkim: { result: FROM_DOMAIN },
      spf: { result: RETURN_PATH_DOMAIN },
    });
    expect(result.headers).toMatch(/dkim=pass/);
    expect(result.headers).toMatch(/spf=pass/);
    expect(result.headers).toMatch(/dmarc=pass/);

    // Every lookup went to our server, none to the system's resolvers.
    const asked = dns.queries.slice(before).map((query) => `${query.type} ${query.name}`);
    expect(asked).toEqual(
      expect.arrayContaining([
        `TXT ${SELECTOR}._domainkey.${FROM_DOMAIN}`,
        `TXT ${RETURN_PATH_DOMAIN}`,
        `TXT _dmarc.${FROM_DOMAIN}`,
      ]),
    );
  });

  it("signs List-Unsubscribe and List-Unsubscribe-Post (RFC 8058 one-click)", async () => {
    const signature = dkimResult(await check(signed.raw));
    const signedFields = signature.signingHeaders?.keys.toLowerCase().split(": ") ?? [];
    expect(signedFields).toEqual(
      expect.arrayContaining([
        "from",
        "to",
        "subject",
        "date",
        "message-id",
        "list-unsubscribe",
        "list-unsubscribe-post",
      ]),
    );

    // Changing a signed header breaks the signature, so the one-click target is protected.
    const altered = tampered(
      "https://example.test/unsubscribe/abc123",
      "https://evil.test/unsubscribe/abc123",
    );
    expect(dkimResult(await check(altered)).status.result).toBe("fail");
  });

  it("fails DKIM on a tampered body; DMARC still passes through aligned SPF", async () => {
    const altered = tampered("the news of the month.", "the news of the year.");
    const result = await check(altered);

    // mailauth's lenient default reports a body hash mismatch as neutral, RFC 6376 as fail.
    const dkim = dkimResult(result);
    expect(dkim.status).toMatchObject({ result: "neutral", comment: "body hash did not verify" });
    expect(dkimResult(await check(altered, { strict: true })).status.result).toBe("fail");
    expect(spfResult(result)).toBe("pass");
    expect(dmarcResult(result)).toBe("pass");
  });

  it("fails SPF from another IP; DMARC still passes through aligned DKIM", async () => {
    const result = await check(signed.raw, { ip: "192.0.2.99" });

    expect(spfResult(result)).toBe("fail");
    expect(dkimResult(result).status.result).toBe("pass");
    expect(dmarcResult(result)).toBe("pass");
  });

  it("fails DMARC, with the domain's reject policy, when both fail", async () => {
    const result = await check(tampered("the news of the month.", "a forged text."), {
      ip: "192.0.2.99",
    });

    expect(spfResult(result)).toBe("fail");
    expect(dmarcResult(result)).toBe("fail");
    expect(dmarcOf(result).policy).toBe("reject");
  });

  it("reports no key (not a DNS failure) when the selector is not published", async () => {
    dns.remove(`${SELECTOR}._domainkey.${FROM_DOMAIN}`);
    try {
      const dkim = dkimResult(await check(signed.raw));
      expect(dkim.status.result).not.toBe("pass");
      expect(dkim.status.result).not.toBe("temperror");
      expect(dkim.status.comment).toMatch(/no key/);
    } finally {
      dns.set(`${SELECTOR}._domainkey.${FROM_DOMAIN}`, "TXT", [dkimRecord]);
    }
  });

  it("reports temperror when the DNS cannot answer the key or SPF lookup", async () => {
    dns.failNext(`${SELECTOR}._domainkey.${FROM_DOMAIN}`, "SERVFAIL", 10);
    dns.failNext(RETURN_PATH_DOMAIN, "timeout", 10);

    try {
      const result = await check(signed.raw);

      const dkim = dkimResult(result);
      expect(dkim.status.result).toBe("temperror");
      expect(dkim.status.comment).toMatch(/ESERVFAIL/);
      expect(spfResult(result)).toBe("temperror");
      expect(dmarcResult(result)).not.toBe("pass");
    } finally {
      dns.failNext(`${SELECTOR}._domainkey.${FROM_DOMAIN}`, "SERVFAIL", 0);
      dns.failNext(RETURN_PATH_DOMAIN, "timeout", 0);
    }
  });
});

describe("ARC, through our resolver", () => {
  it("validates the seal a forwarding relay added, with the relay's key on the test DNS", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const spki = publicKey.export({ type: "spki", format: "der" }).toString("base64");
    dns.set("arc._domainkey.relay.test", "TXT", [`v=DKIM1; k=rsa; p=${spki}`]);

    // The relay authenticates what it received and seals the result into the message.
    const atRelay = await authenticate(signed.raw, {
      ip: SENDING_IP,
      helo: HELO,
      sender: signed.envelopeFrom,
      mta: "mx.relay.test",
      resolver,
      disableBimi: true,
      seal: {
        signingDomain: "relay.test",
        selector: "arc",
        privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      },
    });
    const forwarded = Buffer.concat([Buffer.from(atRelay.headers), signed.raw]);
    expect(atRelay.headers).toMatch(/^ARC-Seal: i=1;/m);

    // The next hop gets it from the relay's address, where SPF fails; the ARC chain holds.
    const before = dns.queries.length;
    const result = await check(forwarded, { ip: "192.0.2.99" });
    expect(arcOf(result).status.result).toBe("pass");
    expect(arcOf(result).i).toBe(1);
    expect(dns.queries.slice(before).map((query) => query.name)).toContain(
      "arc._domainkey.relay.test",
    );

    // A chain whose key cannot be fetched is not taken as valid.
    dns.remove("arc._domainkey.relay.test");
    const unverifiable = await check(forwarded, { ip: "192.0.2.99" });
    expect(arcOf(unverifiable).status.result).not.toBe("pass");
  });
});

describe("mailauthResolver", () => {
  it("rejects like node:dns: ENOTFOUND, ENODATA and the shapes mailauth reads", async () => {
    await expect(resolver("nowhere.example.test", "TXT")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
    await expect(resolver(RETURN_PATH_DOMAIN, "A")).rejects.toMatchObject({ code: "ENODATA" });
    await expect(resolver(`bad..${FROM_DOMAIN}`, "TXT")).rejects.toMatchObject({
      code: "EBADNAME",
    });
    await expect(resolver(FROM_DOMAIN, "HINFO")).rejects.toMatchObject({ code: "ENOTIMP" });

    expect(await resolver(`_dmarc.${FROM_DOMAIN}`, "TXT")).toEqual([["v=DMARC1; p=reject"]]);
    expect(await resolver(RETURN_PATH_DOMAIN, "MX")).toEqual([
      { exchange: `feedback.${RETURN_PATH_DOMAIN}`, priority: 10 },
    ]);
    expect(await resolver(FROM_DOMAIN, "A")).toEqual(["192.0.2.80"]);
  });

  it("passes a temporary failure on with node's code", async () => {
    dns.failNext("flaky.example.test", "SERVFAIL", 10);
    await expect(resolver("flaky.example.test", "TXT")).rejects.toMatchObject({
      name: "DnsTemporaryError",
      code: "ESERVFAIL",
    });
  });
});
