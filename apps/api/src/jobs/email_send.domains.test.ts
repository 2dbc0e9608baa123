import { eq } from "drizzle-orm";
import { authenticate } from "mailauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails, suppressions } from "../db/schema/index.ts";
import { createDnsResolver } from "../lib/dns-resolver.ts";
import type { CaughtMessage } from "../mail/catcher.ts";
import { mailauthResolver } from "../mail/mailauth-resolver.ts";
import { startDnsServer, type TestDnsServer } from "../test/dns-server.ts";
import {
  eventually,
  startTestApi,
  startTestMail,
  type TestApi,
  type TestMail,
  type TestOrg,
} from "../test/harness.ts";
import { createVerifiedDomain } from "../test/verified-domain.ts";

// Mail from a verified domain, end to end: DKIM-signed, a VERP return path per recipient that
// SPF authorizes, DMARC aligned, tracked links and opens, one-click unsubscribe, suppression.
const DOMAIN = "acme-verified.dev";

let dns: TestDnsServer;
let api: TestApi;
let mail: TestMail;
let org: TestOrg;
let domainId: string;

beforeAll(async () => {
  dns = await startDnsServer();
  api = await startTestApi({
    dnsServers: [dns.address],
    spfMechanisms: "ip4:127.0.0.1",
    bounceMxHost: "bounces.thrive.test",
    requireVerifiedDomain: true,
    trackingBaseUrl: "https://t.thrive.test",
    publicUrl: "https://api.thrive.test",
  });
  mail = await startTestMail(api, {
    catcher: {
      refuseRecipient: (address) =>
        address.startsWith("unknown")
          ? { code: 550, message: "5.1.1 <unknown>: Recipient address rejected: User unknown" }
          : undefined,
    },
  });
  org = await api.createOrg();
  domainId = await createVerifiedDomain(api, dns, org.key, DOMAIN, {
    open_tracking: true,
    click_tracking: true,
  });
});
afterAll(async () => {
  await mail.stop();
  await api.close();
  await dns.close();
});

async function send(json: Record<string, unknown>, key = org.key) {
  return api.call("POST", "/emails", {
    key,
    json: { from: `Acme <hello@${DOMAIN}>`, subject: "Hello", ...json },
  });
}

async function delivered(id: string): Promise<CaughtMessage[]> {
  await eventually(async () => {
    const [row] = await api.database.db.select().from(emails).where(eq(emails.id, id));
    return row && !["queued", "sending"].includes(row.status);
  });
  return mail.catcher.messages.filter((message) => message.raw.includes(`<${id}@${DOMAIN}>`));
}

const eventTypes = async (id: string) =>
  (await api.database.db.select().from(emailEvents).where(eq(emailEvents.emailId, id))).map(
    (event) => event.type,
  );

describe("sending domains", () => {
  it("refuses a from domain that is not verified, with Resend's 403", async () => {
    for (const from of ["a@unknown-domain.dev", `a@sub.${DOMAIN}`]) {
      const response = await api.call("POST", "/emails", {
        key: org.key,
        json: { from, to: "x@example.com", subject: "s", text: "t" },
      });
      expect(response.status, from).toBe(403);
      expect(response.body.name).toBe("validation_error");
      expect(response.body.message).toContain("is not verified");
    }
    const batch = await api.call("POST", "/emails/batch", {
      key: org.key,
      headers: { "x-batch-validation": "permissive" },
      json: [
        { from: `a@${DOMAIN}`, to: "x@example.com", subject: "s", text: "t" },
        { from: "a@unknown-domain.dev", to: "x@example.com", subject: "s", text: "t" },
      ],
    });
    expect(batch.status).toBe(200);
    expect(batch.body.data).toHaveLength(1);
    expect(batch.body.errors).toEqual([
      { index: 1, message: expect.stringContaining("not verified") },
    ]);
  });

  it("signs, returns bounces per recipient, and passes DKIM, SPF and DMARC", async () => {
    const response = await send({
      to: "reader@example.com",
      bcc: "archive@example.com",
      html: '<p>Hi <a href="https://acme.dev/welcome?a=1&amp;b=2">start</a></p>',
    });
    expect(response.status).toBe(200);
    const [row] = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.id, response.body.id));
    expect(row?.domainId).toBe(domainId);

    const copies = await delivered(response.body.id);
    expect(copies.map((copy) => copy.envelope.to).sort()).toEqual([
      ["archive@example.com"],
      ["reader@example.com"],
    ]);
    const resolver = mailauthResolver(createDnsResolver({ servers: [dns.address] }));
    for (const copy of copies) {
      expect(copy.envelope.from).toMatch(new RegExp(`^b\\+[a-z2-7]+@send\\.${DOMAIN}$`));
      const raw = copy.raw.toString("utf8");
      expect(raw).not.toMatch(/^bcc:/im);
      const result = await authenticate(copy.raw, {
        ip: "127.0.0.1",
        helo: "mta.thrive.test",
        sender: copy.envelope.from,
        mta: "mx.example.com",
        resolver,
        disableBimi: true,
      });
      expect(result.dkim.results[0]?.status.result, "dkim").toBe("pass");
      expect(result.dkim.results[0]?.signingDomain).toBe(DOMAIN);
      expect(result.spf ? result.spf.status.result : null, "spf").toBe("pass");
      expect(result.dmarc ? result.dmarc.status.result : null, "dmarc").toBe("pass");
      const signedHeaders = /[;\s]h=([^;]+);/.exec(raw.replace(/\r\n\s+/g, " "))?.[1] ?? "";
      expect(signedHeaders.split(":").map((name) => name.trim())).toEqual(
        expect.arrayContaining(["list-unsubscribe", "list-unsubscribe-post"]),
      );
    }
    // The two copies carry different return paths: a bounce tells whose it is.
    expect(new Set(copies.map((copy) => copy.envelope.from)).size).toBe(2);
  });

  it("tracks opens and clicks with signed links, and flags machine opens", async () => {
    const response = await send({
      to: "clicker@example.com",
      html: '<html><body><p><a href="https://acme.dev/pricing?x=1&amp;y=2">Pricing</a></p></body></html>',
    });
    const [copy] = await delivered(response.body.id);
    const { simpleParser } = await import("mailparser");
    const parsed = await simpleParser(copy?.raw ?? Buffer.alloc(0));
    const html = String(parsed.html);
    const click = /href="https:\/\/t\.thrive\.test(\/t\/c\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
    const pixel = /src="https:\/\/t\.thrive\.test(\/t\/o\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
    expect(click).toBeDefined();
    expect(pixel).toBeDefined();
    expect(parsed.text).toContain("https://acme.dev/pricing?x=1&y=2");

    // Right after sending, an open is a scanner's; later, with a mail client's agent, a person's.
    const browser = {
      "user-agent":
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    };
    const early = await api.call("GET", pixel ?? "", { headers: browser });
    expect(early.status).toBe(200);
    expect(early.headers.get("content-type")).toBe("image/gif");
    expect(early.headers.get("cache-control")).toContain("no-store");
    await api.database
      .sql`update emails set sent_at = now() - interval '5 minutes' where id = ${response.body.id}`;
    await api.call("GET", pixel ?? "", { headers: browser });
    const redirect = await api.call("GET", click ?? "", { headers: browser });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get("location")).toBe("https://acme.dev/pricing?x=1&y=2");

    const events = await api.database.db
      .select()
      .from(emailEvents)
      .where(eq(emailEvents.emailId, response.body.id));
    const engagement = events.filter((event) => ["opened", "clicked"].includes(event.type));
    expect(engagement.map((event) => [event.type, event.details?.machine])).toEqual([
      ["opened", true],
      ["opened", false],
      ["clicked", false],
    ]);
    expect(engagement[0]?.details).toMatchObject({
      recipient: "clicker@example.com",
      machine_reason: "too_fast",
    });
    expect(engagement[2]?.details).toMatchObject({ link: "https://acme.dev/pricing?x=1&y=2" });
    const [row] = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.id, response.body.id));
    expect(row?.lastEvent).toBe("clicked");

    const tampered = `${click?.slice(0, -2)}${click?.endsWith("A") ? "B" : "A"}x`;
    expect((await api.call("GET", tampered)).status).toBe(404);
    const unknownPixel = await api.call("GET", "/t/o/not-a-token");
    expect(unknownPixel.status).toBe(200);
  });

  it("unsubscribes in one click, never on a GET, and then suppresses", async () => {
    const first = await send({ to: "leaver@example.com", text: "news" });
    const [copy] = await delivered(first.body.id);
    // Unfolded: a long header value continues on indented lines.
    const raw = (copy?.raw.toString("utf8") ?? "").replace(/\r\n[ \t]+/g, " ");
    const header = /^List-Unsubscribe: <https:\/\/api\.thrive\.test(\/unsubscribe\/[^>]+)>/im.exec(
      raw,
    );
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/im);
    const path = header?.[1] ?? "";

    const confirm = await api.call("GET", path);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain("leaver@example.com");
    expect(confirm.body).toContain('<form method="post">');
    expect(
      await api.database.db
        .select()
        .from(suppressions)
        .where(eq(suppressions.email, "leaver@example.com")),
    ).toEqual([]);

    const oneClick = await api.call("POST", path, {
      body: "List-Unsubscribe=One-Click",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(oneClick.status).toBe(200);
    expect(oneClick.headers.get("location")).toBeNull();
    const [suppressed] = await api.database.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.email, "leaver@example.com"));
    expect(suppressed).toMatchObject({ origin: "unsubscribe", sourceEmailId: first.body.id });
    expect(suppressed?.details).toMatchObject({ via: "one-click" });

    const second = await send({ to: ["leaver@example.com", "stayer@example.com"], text: "more" });
    const copies = await delivered(second.body.id);
    expect(copies.map((message) => message.envelope.to)).toEqual([["stayer@example.com"]]);
    expect(await eventTypes(second.body.id)).toEqual(["queued", "suppressed", "sent", "delivered"]);

    const onlySuppressed = await send({ to: "leaver@example.com", text: "again" });
    expect(await delivered(onlySuppressed.body.id)).toEqual([]);
    const [row] = await api.database.db
      .select()
      .from(emails)
      .where(eq(emails.id, onlySuppressed.body.id));
    expect(row).toMatchObject({ status: "suppressed", lastEvent: "suppressed" });
  });

  it("suppresses a recipient whose address hard-bounces", async () => {
    const bounced = await send({ to: "unknown-user@example.com", text: "hi" });
    await delivered(bounced.body.id);
    const [suppressed] = await api.database.db
      .select()
      .from(suppressions)
      .where(eq(suppressions.email, "unknown-user@example.com"));
    expect(suppressed).toMatchObject({ origin: "bounce", sourceEmailId: bounced.body.id });
    const listed = await api.call("GET", "/suppressions/unknown-user@example.com", {
      key: org.key,
    });
    expect(listed.body).toMatchObject({ origin: "bounce", source_id: bounced.body.id });
  });

  it("limits a key to its domain", async () => {
    const limited = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "limited", permission: "sending_access", domain_id: domainId },
    });
    expect(limited.status).toBe(200);
    expect((await send({ to: "a@example.com", text: "t" }, limited.body.token)).status).toBe(200);
    const elsewhere = await api.call("POST", "/emails", {
      key: limited.body.token,
      json: { from: "a@other.dev", to: "a@example.com", subject: "s", text: "t" },
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.body.message).toContain("only send from its own domain");

    const fullWithDomain = await api.call("POST", "/api-keys", {
      key: org.key,
      json: { name: "x", domain_id: domainId },
    });
    expect(fullWithDomain.status).toBe(422);
    const other = await api.createOrg("Other");
    const foreign = await api.call("POST", "/api-keys", {
      key: other.key,
      json: { name: "x", permission: "sending_access", domain_id: domainId },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.message).toContain("no such domain");
  });

  it("fails queued mail whose domain was deleted instead of sending it unsigned", async () => {
    const scheduled = await send({
      to: "late@example.com",
      text: "t",
      scheduled_at: new Date(Date.now() + 1500).toISOString(),
    });
    const other = await api.call("POST", "/domains", {
      key: org.key,
      json: { name: "short-lived.dev" },
    });
    // Move the email onto a domain that is then deleted, as if it was deleted after acceptance.
    await api.database.db
      .update(emails)
      .set({ domainId: other.body.id })
      .where(eq(emails.id, scheduled.body.id));
    await api.call("DELETE", `/domains/${other.body.id}`, { key: org.key });
    const row = await eventually(async () => {
      const [current] = await api.database.db
        .select()
        .from(emails)
        .where(eq(emails.id, scheduled.body.id));
      return current?.status === "failed" ? current : undefined;
    });
    expect(row.lastError).toBe("the sending domain was deleted");
    expect(mail.catcher.messages.some((message) => message.raw.includes(scheduled.body.id))).toBe(
      false,
    );
  });
});
