import type { SystemEmail } from "./send-system-email.ts";

/** The emails Thrive-Send sends to people. Every interpolated value is escaped in the HTML. */

const escapeHtml = (value: string) =>
  value.replace(
    /[&<>"']/g,
    (char) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[char] ?? char,
  );

function layout(paragraphs: string[], link: { href: string; label: string }): string {
  const body = paragraphs.map((text) => `<p>${escapeHtml(text)}</p>`).join("\n");
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">
${body}
<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>
<p style="color:#666;font-size:12px">${escapeHtml(link.href)}</p>
</body></html>`;
}

function email(
  to: string,
  subject: string,
  paragraphs: string[],
  link: { href: string; label: string },
) {
  return {
    to,
    subject,
    text: `${paragraphs.join("\n\n")}\n\n${link.label}: ${link.href}\n`,
    html: layout(paragraphs, link),
  } satisfies SystemEmail;
}

export function invitationEmail(input: {
  to: string;
  organizationName: string;
  inviter: string | null;
  role: string;
  link: string;
  expiresAt: Date;
}): SystemEmail {
  const who = input.inviter ? `${input.inviter} invited you` : "You are invited";
  return email(
    input.to,
    `Join ${input.organizationName} on Thrive-Send`,
    [
      `${who} to join ${input.organizationName} on Thrive-Send as ${input.role}.`,
      `The invitation expires on ${input.expiresAt.toUTCString()}.`,
    ],
    { href: input.link, label: "Accept the invitation" },
  );
}

export function passwordResetEmail(input: { to: string; link: string; expiresAt: Date }) {
  return email(
    input.to,
    "Reset your Thrive-Send password",
    [
      "Someone (you, we hope) asked to reset the password of your Thrive-Send account.",
      `The link works once, until ${input.expiresAt.toUTCString()}. If you did not ask, ignore this email: your password stays as it is.`,
    ],
    { href: input.link, label: "Choose a new password" },
  );
}

export function verificationEmail(input: { to: string; link: string }) {
  return email(
    input.to,
    "Confirm your email address",
    ["Welcome to Thrive-Send! Confirm that this address is yours."],
    { href: input.link, label: "Confirm my email address" },
  );
}
