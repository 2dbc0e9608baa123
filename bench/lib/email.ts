/**
 * A typical transactional email (receipt-sized HTML, about 1 KB), the same in both benches so
 * their numbers compare. Recipients vary so the messages are not byte-identical.
 */
export const FROM = "Acme <bench@acme.dev>";
export const SUBJECT = "Your Acme receipt #2041";

const ITEMS = ["Starter plan", "Extra seats × 3", "Priority support"]
  .map((item, i) => `<tr><td>${item}</td><td align="right">$${(i + 1) * 12}.00</td></tr>`)
  .join("");

export const HTML = `<!doctype html><html><body style="font-family:sans-serif;color:#222">
<h1 style="font-size:20px">Thanks for your payment</h1>
<p>Hi there, we received your payment of <strong>$72.00</strong> on behalf of Acme Inc.
Your receipt is below; keep it for your records.</p>
<table width="100%" cellpadding="4">${ITEMS}
<tr><td><strong>Total</strong></td><td align="right"><strong>$72.00</strong></td></tr></table>
<p>Questions? Reply to this email or visit <a href="https://acme.dev/billing">acme.dev/billing</a>.</p>
<p style="font-size:12px;color:#888">Acme Inc., 1 Example Street, Springfield.
You receive this email because you have an Acme account.</p>
</body></html>`;

export interface EmailBody {
  from: string;
  to: string;
  subject: string;
  html: string;
}

export function benchEmail(index: number, from = FROM): EmailBody {
  return { from, to: `user${index}@example.com`, subject: SUBJECT, html: HTML };
}

/** Emails `start .. start+size-1`, as one POST /emails/batch body. */
export function batchBody(start: number, size: number, from = FROM): string {
  return JSON.stringify(Array.from({ length: size }, (_, i) => benchEmail(start + i, from)));
}
