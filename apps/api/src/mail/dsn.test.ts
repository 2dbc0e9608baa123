import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseInboundReport } from "./dsn.ts";
import { parseFieldGroups } from "./report-fields.ts";

const fixture = (name: string) => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));

/** A minimal multipart/report around the given report part, for the edge cases. */
function report(reportType: string, partType: string, body: string, returned = ""): Buffer {
  return Buffer.from(
    [
      "From: MAILER-DAEMON@mx.example.org",
      "To: bounce@bounces.acme.dev",
      "Subject: Report",
      "MIME-Version: 1.0",
      `Content-Type: multipart/report; report-type=${reportType}; boundary="b"`,
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "Human readable part.",
      "",
      "--b",
      `Content-Type: ${partType}`,
      "",
      body,
      "",
      ...(returned ? ["--b", "Content-Type: text/rfc822-headers", "", returned, ""] : []),
      "--b--",
      "",
    ].join("\r\n"),
  );
}

describe("parseInboundReport: RFC 3464 delivery status notifications", () => {
  it("reads Postfix's user-unknown bounce, folded diagnostic and returned message included", async () => {
    expect(await parseInboundReport(fixture("postfix-user-unknown.eml"))).toEqual({
      kind: "dsn",
      format: "rfc3464",
      recipients: [
        {
          finalRecipient: "nobody@example.org",
          originalRecipient: "nobody@example.org",
          action: "failed",
          status: "5.1.1",
          diagnosticCode:
            "550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual mailbox table",
          diagnosticType: "smtp",
          remoteMta: "mx1.example.org",
        },
      ],
      reportingMta: "mail.example.org",
      originalMessageId: "<0199e1a2-7c3d-7e10-9b2a-5f4c8d2e1a01@acme.dev>",
      originalEnvelopeId: undefined,
    });
  });

  it("reads Postfix's delay warning: action delayed, 4.x.x, headers-only return, ENVID", async () => {
    const parsed = await parseInboundReport(fixture("postfix-delayed.eml"));
    expect(parsed).toMatchObject({
      kind: "dsn",
      format: "rfc3464",
      recipients: [
        {
          finalRecipient: "slow@example.net",
          action: "delayed",
          status: "4.4.1",
          diagnosticType: "x-postfix",
          diagnosticCode: "connect to mx.example.net[203.0.113.40]:25: Connection timed out",
        },
      ],
      // The Message-ID header is folded onto its own line in the returned headers.
      originalMessageId: "<0199e6b0-1111-7aaa-8bbb-000000000002@acme.dev>",
      originalEnvelopeId: "0199e6b0-1111-7aaa-8bbb-000000000002",
    });
  });

  it("reads each recipient of Exim's report, refining its vague 5.0.0 from the server's reply", async () => {
    const parsed = await parseInboundReport(fixture("exim-multi-recipient.eml"));
    if (parsed.kind !== "dsn") throw new Error(`expected a dsn, got ${parsed.kind}`);
    expect(parsed.recipients.map((r) => [r.finalRecipient, r.action, r.status])).toEqual([
      ["alice@example.com", "failed", "5.1.1"],
      ["bob@example.com", "failed", "5.2.2"],
      // No enhanced code in the reply: the declared one stands.
      ["carol@example.com", "failed", "5.0.0"],
    ]);
    expect(parsed.recipients[1]?.diagnosticCode).toBe("552 5.2.2 Mailbox full");
    expect(parsed.originalMessageId).toBe("<0199e7c1-aaaa-7bbb-8ccc-000000000003@acme.dev>");
  });

  it("reads Gmail's report: multi-line 550 reply unfolded, remote MTA without its comment", async () => {
    const parsed = await parseInboundReport(fixture("gmail-no-such-user.eml"));
    if (parsed.kind !== "dsn") throw new Error(`expected a dsn, got ${parsed.kind}`);
    expect(parsed.format).toBe("rfc3464");
    expect(parsed.reportingMta).toBe("googlemail.com");
    expect(parsed.originalMessageId).toBe("<0199e8d2-bbbb-7ccc-8ddd-000000000004@acme.dev>");
    const [recipient] = parsed.recipients;
    expect(recipient).toMatchObject({
      finalRecipient: "ghost@gmail.com",
      action: "failed",
      status: "5.1.1",
      remoteMta: "gmail-smtp-in.l.google.com",
    });
    expect(recipient?.diagnosticCode).toMatch(/^550-5\.1\.1 The email account .* - gsmtp$/);
    expect(recipient?.diagnosticCode).not.toContain("\n");
  });

  it("reads both recipients of a Microsoft 365 NDR, 5.1.10 included", async () => {
    const parsed = await parseInboundReport(fixture("microsoft365-multi-recipient.eml"));
    expect(parsed).toMatchObject({
      kind: "dsn",
      reportingMta: "DB9PR01MB1111.eurprd01.prod.exchangelabs.com",
      originalMessageId: "<0199e9e3-cccc-7ddd-8eee-000000000005@acme.dev>",
      recipients: [
        { finalRecipient: "gone@contoso.com", action: "failed", status: "5.1.10" },
        {
          finalRecipient: "full@contoso.com",
          action: "failed",
          status: "5.2.2",
          remoteMta: "AM0PR01MB9999.eurprd01.prod.exchangelabs.com",
        },
      ],
    });
  });

  it("reads SES's own MAILER-DAEMON report: Action before Final-Recipient, expired 4.4.7", async () => {
    const parsed = await parseInboundReport(fixture("ses-mailer-daemon.eml"));
    expect(parsed).toMatchObject({
      kind: "dsn",
      reportingMta: "a27-30.smtp-out.us-west-2.amazonses.com",
      recipients: [{ finalRecipient: "nope@example.net", action: "failed", status: "4.4.7" }],
      originalMessageId:
        "<01010199eaf4e5d2-7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d-000000@us-west-2.amazonses.com>",
    });
  });

  it("takes the status from the diagnostic when Status is missing, the action from the status", async () => {
    const parsed = await parseInboundReport(
      report(
        "delivery-status",
        "message/delivery-status",
        [
          "Reporting-MTA: dns; mx.example.org",
          "",
          "Final-Recipient: RFC822; <Mixed.Case@Example.org>",
          "Action: bogus-action",
          "Diagnostic-Code: smtp; 552-5.2.2 over quota",
          "",
          "Final-Recipient: rfc822; second@example.org",
          "Action: failed",
        ].join("\r\n"),
        "From: a@acme.dev\r\nMessage-Id: bare-id@acme.dev\r\n",
      ),
    );
    expect(parsed).toMatchObject({
      kind: "dsn",
      recipients: [
        { finalRecipient: "Mixed.Case@Example.org", action: "failed", status: "5.2.2" },
        { finalRecipient: "second@example.org", action: "failed", status: "5.0.0" },
      ],
      originalMessageId: "<bare-id@acme.dev>",
    });
  });

  it("reads a success DSN and a UTF-8 global report (RFC 6533)", async () => {
    const delivered = await parseInboundReport(
      report(
        "delivery-status",
        "message/delivery-status",
        "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: rfc822; ok@example.org\r\nAction: delivered\r\nStatus: 2.0.0",
      ),
    );
    expect(delivered).toMatchObject({
      kind: "dsn",
      recipients: [{ finalRecipient: "ok@example.org", action: "delivered", status: "2.0.0" }],
    });

    const global = await parseInboundReport(
      report(
        "global-delivery-status",
        "message/global-delivery-status; charset=utf-8",
        "Reporting-MTA: dns; mx.example.org\r\n\r\nFinal-Recipient: utf-8; j\\x{00F6}rg@example.org\r\nAction: failed\r\nStatus: 5.1.1",
      ),
    );
    expect(global).toMatchObject({
      kind: "dsn",
      recipients: [{ finalRecipient: "jörg@example.org", status: "5.1.1" }],
    });
  });

  it("answers unknown for a delivery-status part without any recipient", async () => {
    const parsed = await parseInboundReport(
      report("delivery-status", "message/delivery-status", "Reporting-MTA: dns; mx.example.org"),
    );
    expect(parsed).toEqual({ kind: "unknown" });
  });
});

describe("parseInboundReport: ARF feedback reports", () => {
  it("reads a Yahoo-style abuse report", async () => {
    expect(await parseInboundReport(fixture("arf-abuse.eml"))).toEqual({
      kind: "complaint",
      feedbackType: "abuse",
      originalRecipient: "reader@yahoo.example",
      originalMailFrom: "bounce+0199eb05-eeee-7fff-8000-000000000007@bounces.acme.dev",
      originalMessageId: "<0199eb05-eeee-7fff-8000-000000000007@acme.dev>",
      userAgent: "Yahoo!-Mail-Feedback/2.0",
      arrivalDate: new Date("2025-10-20T11:58:01Z"),
      reportingMta: "mta1.mail.yahoo.example",
      sourceIp: "198.51.100.7",
    });
  });

  it("falls back to the returned To and Hotmail's Received-Date when the report lacks them", async () => {
    const parsed = await parseInboundReport(
      report(
        "feedback-report",
        "message/feedback-report",
        "Feedback-Type: Abuse\r\nUser-Agent: Hotmail FBL\r\nVersion: 0.1\r\nReceived-Date: Mon, 20 Oct 2025 10:00:00 +0000",
        "From: news@acme.dev\r\nTo: Reader <reader@hotmail.example>\r\nMessage-ID: <m-1@acme.dev>\r\n",
      ),
    );
    expect(parsed).toMatchObject({
      kind: "complaint",
      feedbackType: "abuse",
      originalRecipient: "reader@hotmail.example",
      originalMessageId: "<m-1@acme.dev>",
      arrivalDate: new Date("2025-10-20T10:00:00Z"),
    });
  });

  it("leaves the recipient out when the returned message names several", async () => {
    const parsed = await parseInboundReport(
      report(
        "feedback-report",
        "message/feedback-report",
        "Feedback-Type: not-spam",
        "To: a@example.org, b@example.org\r\nMessage-ID: <m-2@acme.dev>\r\n",
      ),
    );
    expect(parsed).toMatchObject({ kind: "complaint", feedbackType: "not-spam" });
    expect(parsed.kind === "complaint" && parsed.originalRecipient).toBeUndefined();
  });
});

describe("parseInboundReport: human-readable bounces", () => {
  it("reads qmail's bounce: each recipient's block and (#5.x.x) code", async () => {
    expect(await parseInboundReport(fixture("qmail-permanent.eml"))).toEqual({
      kind: "dsn",
      format: "plain-text",
      recipients: [
        {
          finalRecipient: "nosuchuser@oldhost.example",
          action: "failed",
          status: "5.1.1",
          diagnosticCode: "Sorry, no mailbox here by that name. (#5.1.1)",
          diagnosticType: undefined,
        },
        {
          finalRecipient: "someone@elsewhere.example",
          action: "failed",
          status: "5.7.1",
          diagnosticCode: "550 5.7.1 <someone@elsewhere.example>: Relay access denied",
          diagnosticType: "smtp",
        },
      ],
      originalMessageId: "<0199ed27-0000-7111-8222-000000000009@acme.dev>",
    });
  });

  it("reads old Gmail's plain-text delay warning as delayed", async () => {
    expect(await parseInboundReport(fixture("gmail-legacy-delayed.eml"))).toMatchObject({
      kind: "dsn",
      format: "plain-text",
      recipients: [
        { finalRecipient: "later@slowdomain.example", action: "delayed", status: "4.0.0" },
      ],
      originalMessageId: "<0199ee38-1111-7222-8333-00000000000a@acme.dev>",
    });
  });

  it("reads X-Failed-Recipients from a text-only bounce, status from its text", async () => {
    const raw = Buffer.from(
      [
        "From: Mail Delivery System <Mailer-Daemon@smtp.example.com>",
        "To: bounce@bounces.acme.dev",
        "Subject: Mail delivery failed: returning message to sender",
        "X-Failed-Recipients: lost@example.com",
        "",
        "This message was created automatically by mail delivery software.",
        "",
        "  lost@example.com",
        "    SMTP error from remote mail server after RCPT TO:<lost@example.com>:",
        "    550 5.1.1 No such user",
        "",
        "------ This is a copy of the message, including all the headers. ------",
        "",
        "Message-Id: <orig-7@acme.dev>",
        "Subject: Hello",
        "",
      ].join("\r\n"),
    );
    expect(await parseInboundReport(raw)).toMatchObject({
      kind: "dsn",
      format: "plain-text",
      recipients: [{ finalRecipient: "lost@example.com", action: "failed", status: "5.1.1" }],
      originalMessageId: "<orig-7@acme.dev>",
    });
  });
});

describe("parseInboundReport: everything else is unknown, never an exception", () => {
  it("answers unknown for an out-of-office auto-reply", async () => {
    expect(await parseInboundReport(fixture("auto-reply.eml"))).toEqual({ kind: "unknown" });
  });

  it("answers unknown for spam sent to the bounce address", async () => {
    const spam = Buffer.from(
      "From: Deals <deals@spam.example>\r\nTo: bounce@bounces.acme.dev\r\nSubject: You won!\r\n\r\nClaim your prize at user@spam.example now.\r\n",
    );
    expect(await parseInboundReport(spam)).toEqual({ kind: "unknown" });
  });

  it("answers unknown for garbage bytes, an empty buffer and broken MIME", async () => {
    const inputs = [
      randomBytes(64 * 1024),
      Buffer.alloc(0),
      Buffer.from([0, 1, 2, 0xff, 0xfe, 13, 10, 13, 10, 0x80]),
      Buffer.from(
        'Content-Type: multipart/report; report-type=delivery-status; boundary="x"\r\n\r\n--x\r\nContent-Type: message/delivery-status\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!',
      ),
      Buffer.from("Content-Type: multipart/report; boundary=\r\n\r\n--\r\n--\r\n"),
    ];
    for (const input of inputs) {
      await expect(parseInboundReport(input)).resolves.toEqual({ kind: "unknown" });
    }
  });
});

describe("parseFieldGroups", () => {
  it("splits groups on blank lines, unfolds, and starts a recipient group without a blank line", () => {
    const groups = parseFieldGroups(
      "Reporting-MTA: dns; a\r\n  .example\r\n \t\r\nFinal-Recipient: rfc822; x@y\r\nStatus: 5.1.1\r\nFinal-Recipient: rfc822; z@y\r\nStatus: 4.2.2\r\nnot a field line\r\n",
    );
    expect(groups.map((group) => Object.fromEntries(group))).toEqual([
      { "reporting-mta": ["dns; a .example"] },
      { "final-recipient": ["rfc822; x@y"], status: ["5.1.1"] },
      { "final-recipient": ["rfc822; z@y"], status: ["4.2.2"] },
    ]);
  });
});
