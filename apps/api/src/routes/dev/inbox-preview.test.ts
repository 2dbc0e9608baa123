import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sanitizeEmailHtml } from "../../lib/sanitize-email-html.ts";
import { MailCatcher } from "../../mail/catcher.ts";
import { eventually, startTestApi, type TestApi } from "../../test/harness.ts";

const HOSTILE = `<html><head><style>.x{color:red}</style><script>alert(1)</script></head>
<body onload="alert(2)"><table><tr><td class="x" style="padding:4px">Hello</td></tr></table>
<img src="https://cdn.example.com/logo.png" onerror="alert(3)" alt="logo">
<img src="javascript:alert(4)"><a href="javascript:alert(5)">bad</a>
<a href="https://example.com/ok">ok</a><iframe src="https://evil.example.com"></iframe>
<form action="https://evil.example.com"><input name="p"></form><svg><script>alert(6)</script></svg>
<p>Tschüss</p></body></html>`;

describe("sanitizeEmailHtml", () => {
  it("removes what runs or posts and keeps what mail looks like", () => {
    const clean = sanitizeEmailHtml(HOSTILE);
    expect(clean).not.toMatch(/<script|onload|onerror|javascript:|<iframe|<form|<input|<svg/i);
    expect(clean).toContain('<td class="x" style="padding:4px">Hello</td>');
    expect(clean).toContain("<style>.x{color:red}</style>");
    expect(clean).toContain('<img src="https://cdn.example.com/logo.png" alt="logo" />');
    expect(clean).toContain(
      '<a href="https://example.com/ok" target="_blank" rel="noopener noreferrer">ok</a>',
    );
    expect(clean).toContain("Tschüss");
  });
});

describe("GET /dev/inbox/{id}/preview", () => {
  let api: TestApi;
  let catcher: MailCatcher;

  beforeAll(async () => {
    catcher = new MailCatcher();
    const port = await catcher.listen();
    api = await startTestApi({}, { devInbox: catcher });
    const transport = nodemailer.createTransport({ host: "127.0.0.1", port, secure: false });
    await transport.sendMail({
      from: "a@acme.dev",
      to: "b@example.com",
      subject: "hostile",
      html: HOSTILE,
    });
    transport.close();
    await eventually(async () => catcher.messages.length > 0);
  });
  afterAll(async () => {
    await api.close();
    await catcher.close();
  });

  it("renders the message's HTML sanitized, in a sandbox", async () => {
    const id = catcher.messages[0]?.id;
    const response = await api.app.request(`/dev/inbox/${id}/preview`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/^sandbox /);
    expect(csp).not.toContain("allow-scripts");
    expect(csp).toContain("form-action 'none'");
    expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    const html = await response.text();
    expect(html).toContain("Hello");
    expect(html).not.toMatch(/<script|onerror|javascript:/i);
  });

  it("answers 404 for a message it does not have", async () => {
    expect((await api.app.request("/dev/inbox/999999/preview")).status).toBe(404);
  });
});
