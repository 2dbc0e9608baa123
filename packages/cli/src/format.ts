import type { StreamedEvent, WebhookPayload } from "@thrive-send/sdk";
import type { Colors } from "./output.ts";

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** `2026-11-30 10:00:02`, in local time: what a person reads in a table. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${formatClock(date)}`;
}

/** `10:00:02.481`, local time, for lines of a live stream. */
export function formatClock(date: Date, millis = false): string {
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return millis ? `${clock}.${pad(date.getMilliseconds(), 3)}` : clock;
}

export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

/** A domain's or a DNS record's status, colored by what it asks of the user. */
export function colorStatus(colors: Colors, status: string): string {
  switch (status) {
    case "verified":
      return colors.green(status);
    case "pending":
      return colors.yellow(status);
    case "failed":
    case "temporary_failure":
      return colors.red(status);
    default:
      return colors.dim(status);
  }
}

/** An email's last event or an event type, green when it went well, red when it did not. */
export function colorEvent(colors: Colors, event: string): string {
  const name = event.replace(/^email\./, "");
  if (["delivered", "opened", "clicked"].includes(name)) return colors.green(event);
  if (["bounced", "failed", "complained", "suppressed"].includes(name)) return colors.red(event);
  if (name === "delivery_delayed" || name.startsWith("organization.")) return colors.yellow(event);
  if (name === "canceled") return colors.dim(event);
  return colors.cyan(event);
}

type Data = Record<string, unknown>;

function field(data: Data, path: string): string | undefined {
  let value: unknown = data;
  for (const key of path.split(".")) value = (value as Data | undefined)?.[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** What an event is about, in a few words: recipients and subject, or the domain, or why. */
export function eventSummary(payload: WebhookPayload): string {
  const data = payload.data as Data;
  if (payload.type.startsWith("email.")) {
    const to = Array.isArray(data.to) ? (data.to as string[]).join(", ") : "";
    const detail =
      field(data, "bounce.message") ??
      field(data, "failed.reason") ??
      field(data, "delivery_delayed.message") ??
      field(data, "suppressed.message") ??
      field(data, "complaint.feedback_type") ??
      field(data, "click.link");
    const subject = field(data, "subject");
    return [to, subject === undefined ? undefined : `"${truncate(subject, 60)}"`, detail]
      .filter(Boolean)
      .join("  ");
  }
  if (payload.type.startsWith("domain.")) {
    return [field(data, "name"), field(data, "status")].filter(Boolean).join("  ");
  }
  if (payload.type.startsWith("organization.")) {
    return [field(data, "name"), field(data, "sending_paused_reason")].filter(Boolean).join("  ");
  }
  return field(data, "message") ?? "";
}

/** The object an event is about: the email's id, or the domain's, organization's... */
export function eventSubject(payload: WebhookPayload): string {
  const data = payload.data as Data;
  return field(data, "email_id") ?? field(data, "id") ?? field(data, "webhook_id") ?? "";
}

/** One line of `thrive events tail`: time, type, object, summary. */
export function eventLine(colors: Colors, event: StreamedEvent): string {
  const at = new Date(event.payload.created_at);
  const time = Number.isNaN(at.getTime()) ? event.payload.created_at : formatClock(at, true);
  return [
    colors.dim(time),
    colorEvent(colors, event.type) + " ".repeat(Math.max(0, 24 - event.type.length)),
    eventSubject(event.payload).padEnd(36),
    eventSummary(event.payload),
  ]
    .join("  ")
    .trimEnd();
}
