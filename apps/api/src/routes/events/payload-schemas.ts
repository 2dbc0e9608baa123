import { z } from "@hono/zod-openapi";
import { DOMAIN_REGIONS, DOMAIN_STATUSES, DOMAIN_TLS_MODES } from "../../db/schema/index.ts";
import type { WebhookEventType } from "../../services/events/event-types.ts";
import { DomainRecordSchema } from "../domains/schema.ts";

/**
 * The webhook event catalog: the payload of every event type, `{type, created_at, data}`, as
 * services/events/event-payload.ts builds it (payload-schemas.test.ts builds real payloads from
 * real rows and checks them against these, so the two cannot drift apart).
 */

const timestamp = (example: string, description?: string) =>
  z.string().openapi({ format: "date-time", example, ...(description ? { description } : {}) });

const EMAIL_ID = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";
const EVENT_TIME = "2026-11-30T10:00:02.481Z";

const emailFields = {
  created_at: timestamp("2026-11-30T10:00:00.120Z", "When the email was accepted."),
  email_id: z.uuid().openapi({ example: EMAIL_ID }),
  message_id: z
    .string()
    .openapi({ description: "Its Message-ID header.", example: `<${EMAIL_ID}@acme.dev>` }),
  from: z.string().openapi({ example: "Acme <onboarding@acme.dev>" }),
  to: z.array(z.string()).openapi({ example: ["delivered@example.com"] }),
  subject: z.string().openapi({ example: "Welcome to Acme" }),
  tags: z
    .record(z.string(), z.string())
    .openapi({ description: "The email's tags, name to value.", example: { category: "welcome" } }),
  recipients: z
    .array(z.string())
    .optional()
    .openapi({
      description: "The recipients this event is about, when it is not about all of them.",
      example: ["delivered@example.com"],
    }),
};

const EMAIL_DATA_EXAMPLE = {
  created_at: "2026-11-30T10:00:00.120Z",
  email_id: EMAIL_ID,
  message_id: `<${EMAIL_ID}@acme.dev>`,
  from: "Acme <onboarding@acme.dev>",
  to: ["delivered@example.com"],
  subject: "Welcome to Acme",
  tags: { category: "welcome" },
};

const nullableText = (example: string | null, description?: string) =>
  z
    .string()
    .nullable()
    .openapi({ example, ...(description ? { description } : {}) });

const engagement = {
  ipAddress: nullableText("203.0.113.7"),
  timestamp: timestamp(EVENT_TIME),
  userAgent: nullableText("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15"),
  machine: z.boolean().openapi({
    description:
      "Made by a mail privacy proxy, a link scanner or a bot rather than a person (it does not change the email's `last_event`).",
    example: false,
  }),
};

/** What each email event adds to the email's fields, and an example of it. */
const EMAIL_EXTRAS = {
  "email.sent": { fields: {}, example: {} },
  "email.scheduled": {
    fields: { scheduled_at: nullableText("2026-12-01T09:00:00.000Z", "When it will be sent.") },
    example: { scheduled_at: "2026-12-01T09:00:00.000Z" },
  },
  "email.delivered": { fields: {}, example: { recipients: ["delivered@example.com"] } },
  "email.delivery_delayed": {
    fields: {
      delivery_delayed: z.object({
        message: z.string().openapi({ example: "451 4.7.1 Greylisted, try again later" }),
      }),
    },
    example: {
      recipients: ["delivered@example.com"],
      delivery_delayed: { message: "451 4.7.1 Greylisted, try again later" },
    },
  },
  "email.complained": {
    fields: {
      complaint: z.object({
        feedback_type: nullableText("abuse", "The ARF Feedback-Type, when the report gave one."),
      }),
    },
    example: { recipients: ["delivered@example.com"], complaint: { feedback_type: "abuse" } },
  },
  "email.bounced": {
    fields: {
      bounce: z.object({
        message: z.string().openapi({
          description: "The receiving server's answer.",
          example: "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
        }),
        subType: z.string().openapi({ example: "General" }),
        type: z.enum(["Permanent", "Transient", "Undetermined"]).openapi({
          description:
            "Resend's bounce types: RFC 3463 class 5 is `Permanent`, class 4 `Transient`.",
          example: "Permanent",
        }),
        enhanced_code: nullableText("5.1.1", "The RFC 3463 enhanced status code."),
      }),
    },
    example: {
      recipients: ["nobody@example.com"],
      bounce: {
        message: "550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown",
        subType: "General",
        type: "Permanent",
        enhanced_code: "5.1.1",
      },
    },
  },
  "email.opened": {
    fields: { open: z.object(engagement) },
    example: {
      open: {
        ipAddress: "203.0.113.7",
        timestamp: EVENT_TIME,
        userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15",
        machine: false,
      },
    },
  },
  "email.clicked": {
    fields: {
      click: z.object({
        ...engagement,
        link: nullableText("https://acme.dev/welcome", "The original URL."),
      }),
    },
    example: {
      click: {
        ipAddress: "203.0.113.7",
        link: "https://acme.dev/welcome",
        timestamp: EVENT_TIME,
        userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15",
        machine: false,
      },
    },
  },
  "email.failed": {
    fields: {
      failed: z.object({
        reason: z.string().openapi({
          example: "421 4.3.2 Service not available (after 12 attempts)",
        }),
      }),
    },
    example: { failed: { reason: "421 4.3.2 Service not available (after 12 attempts)" } },
  },
  "email.suppressed": {
    fields: {
      suppressed: z.object({
        message: z.string().openapi({ example: "The recipient is on the suppression list" }),
        type: z.literal("suppression_list"),
      }),
    },
    example: {
      recipients: ["unsubscribed@example.com"],
      suppressed: { message: "The recipient is on the suppression list", type: "suppression_list" },
    },
  },
} as const;

type EmailType = keyof typeof EMAIL_EXTRAS;

const pascal = (type: string) =>
  type
    .split(/[._]/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");

function eventSchema<Data extends z.ZodType>(
  type: WebhookEventType,
  data: Data,
  dataExample: Record<string, unknown>,
  description: string,
) {
  const example = { type, created_at: EVENT_TIME, data: dataExample };
  return z
    .object({
      type: z.literal(type),
      created_at: timestamp(EVENT_TIME, "When the event was recorded."),
      data,
    })
    .openapi(`${pascal(type)}Event`, { description, example });
}

const EMAIL_DESCRIPTIONS: Record<EmailType, string> = {
  "email.sent": "A relay accepted the email (not the recipient's own server).",
  "email.scheduled": "The email was accepted to be sent at `scheduled_at`.",
  "email.delivered":
    "The recipient's server accepted the email (or a relay marked as the final hop did).",
  "email.delivery_delayed":
    "A temporary failure (SMTP 4xx, connection trouble, an attachment that could not be fetched yet): it is retried with backoff.",
  "email.complained": "A recipient marked the email as spam (a feedback loop report).",
  "email.bounced": "The receiving server refused the email, at once (5xx) or later (a DSN).",
  "email.opened": "The open pixel was loaded.",
  "email.clicked": "A tracked link was followed.",
  "email.failed":
    "The email will not be sent: its attempts ran out, or it could not be built or routed.",
  "email.suppressed": "Recipients on the suppression list were not sent to.",
};

const emailEventSchema = (type: EmailType) => {
  const extra = EMAIL_EXTRAS[type];
  const data = z.object({ ...emailFields, ...extra.fields }).openapi(`${pascal(type)}EventData`, {
    example: { ...EMAIL_DATA_EXAMPLE, ...extra.example },
  });
  return eventSchema(
    type,
    data,
    { ...EMAIL_DATA_EXAMPLE, ...extra.example },
    EMAIL_DESCRIPTIONS[type],
  );
};

/** Any email event's data, as GET /events lists it: the email's fields and the event's own. */
export const EmailEventDataSchema = z
  .object({
    ...emailFields,
    ...Object.fromEntries(
      Object.values(EMAIL_EXTRAS).flatMap((extra) =>
        Object.entries(extra.fields).map(([key, schema]) => [key, schema.optional()]),
      ),
    ),
  })
  .openapi("EmailEventData", {
    description:
      "The email's fields, plus the object of its type: `bounce`, `click`, `open`, `failed`, `suppressed`, `delivery_delayed`, `complaint` or `scheduled_at`.",
    example: { ...EMAIL_DATA_EXAMPLE, ...EMAIL_EXTRAS["email.bounced"].example },
  });

const DOMAIN_ID = "019ad4a0-1c2d-7e3f-8a4b-5c6d7e8f9a0b";
const DOMAIN_EXAMPLE = {
  object: "domain",
  id: DOMAIN_ID,
  name: "acme.dev",
  status: "verified",
  created_at: "2026-11-29T08:00:00.000Z",
  region: "us-east-1",
  custom_return_path: "send",
  tracking_subdomain: "links",
  capabilities: { sending: "enabled", receiving: "disabled" },
  open_tracking: false,
  click_tracking: true,
  tls: "opportunistic",
};
const RECORDS_EXAMPLE = [
  {
    record: "DKIM",
    name: "ts4f2a9c1b7e._domainkey",
    type: "TXT",
    ttl: "Auto",
    status: "verified",
    value: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA...",
  },
];

const domainFields = {
  object: z.literal("domain"),
  id: z.uuid().openapi({ example: DOMAIN_ID }),
  name: z.string().openapi({ example: "acme.dev" }),
  status: z.enum(DOMAIN_STATUSES).openapi({ example: "verified" }),
  created_at: timestamp("2026-11-29T08:00:00.000Z"),
  region: z.enum(DOMAIN_REGIONS).openapi({ example: "us-east-1" }),
  custom_return_path: z.string().openapi({ example: "send" }),
  tracking_subdomain: z.string().openapi({ example: "links" }),
  capabilities: z.object({ sending: z.literal("enabled"), receiving: z.literal("disabled") }),
  open_tracking: z.boolean().openapi({ example: false }),
  click_tracking: z.boolean().openapi({ example: true }),
  tls: z.enum(DOMAIN_TLS_MODES).openapi({ example: "opportunistic" }),
};

const sendingState = {
  sending_paused_at: nullableText(
    "2026-11-30T10:00:02.000Z",
    "Since when its sending is paused; null when it is not.",
  ),
  sending_paused_reason: nullableText(
    "bounce rate 6.2% over the last 7 days exceeds 4%",
    "Why it was paused.",
  ),
};

const counts = {
  sent: z.number().int().openapi({ example: 1250 }),
  bounced: z.number().int().openapi({ example: 78 }),
  complained: z.number().int().openapi({ example: 1 }),
};

/** The rates that paused a sender (services/reputation/pause-sending.ts). */
const reputation = z
  .object({
    ...counts,
    bounce_rate: z.number().openapi({ example: 0.0624 }),
    complaint_rate: z.number().openapi({ example: 0.0008 }),
    since: timestamp("2026-11-24T00:00:00.000Z", "Where the counting started."),
  })
  .openapi({ description: "The counts and rates that caused the pause." });

/** What an admin's resume left out of the rates from then on (services/reputation/rates.ts). */
const reputationReset = z
  .object({
    ...counts,
    at: timestamp("2026-11-30T12:00:00.000Z"),
    day: z.string().openapi({ description: "UTC day, YYYY-MM-DD.", example: "2026-11-30" }),
  })
  .openapi({ description: "The day's counts at the resume: rates count only what comes after." });

const REPUTATION_EXAMPLE = {
  sent: 1250,
  bounced: 78,
  complained: 1,
  bounce_rate: 0.0624,
  complaint_rate: 0.0008,
  since: "2026-11-24T00:00:00.000Z",
};

const ORG_ID = "019ad49f-0a1b-7c2d-9e3f-4a5b6c7d8e9f";
const organizationFields = {
  object: z.literal("organization"),
  id: z.uuid().openapi({ example: ORG_ID }),
  name: z.string().openapi({ example: "Acme" }),
  ...sendingState,
};

const ORG_EVENT_SCHEMAS = {
  "domain.created": eventSchema(
    "domain.created",
    z.object({ ...domainFields, records: z.array(DomainRecordSchema) }),
    { ...DOMAIN_EXAMPLE, status: "not_started", records: RECORDS_EXAMPLE },
    "A domain was added (POST /domains): the domain as GET /domains/{id} shows it.",
  ),
  "domain.updated": eventSchema(
    "domain.updated",
    z.object({
      ...domainFields,
      records: z.array(DomainRecordSchema),
      sending_paused_at: sendingState.sending_paused_at.optional(),
      sending_paused_reason: sendingState.sending_paused_reason.optional(),
      reputation: reputation.optional(),
      reputation_reset: reputationReset.optional(),
    }),
    {
      ...DOMAIN_EXAMPLE,
      records: RECORDS_EXAMPLE,
      sending_paused_at: "2026-11-30T10:00:02.000Z",
      sending_paused_reason: "bounce rate 6.2% over the last 7 days exceeds 4%",
      reputation: REPUTATION_EXAMPLE,
    },
    "A domain changed: its settings (PATCH), its verification status or records, or its sending was paused (with `sending_paused_at`, `sending_paused_reason` and the `reputation` behind it) or resumed (with `reputation_reset`).",
  ),
  "domain.deleted": eventSchema(
    "domain.deleted",
    z.object(domainFields),
    DOMAIN_EXAMPLE,
    "A domain was removed: the domain as it was, without its records.",
  ),
  "organization.sending_paused": eventSchema(
    "organization.sending_paused",
    z.object({ ...organizationFields, reputation }),
    {
      object: "organization",
      id: ORG_ID,
      name: "Acme",
      sending_paused_at: "2026-11-30T10:00:02.000Z",
      sending_paused_reason: "bounce rate 6.2% over the last 7 days exceeds 4%",
      reputation: REPUTATION_EXAMPLE,
    },
    "The organization's bounce or complaint rate passed its threshold: all its sending stopped until POST /reputation/resume.",
  ),
  "organization.sending_resumed": eventSchema(
    "organization.sending_resumed",
    z.object({
      ...organizationFields,
      resumed_at: timestamp("2026-11-30T12:00:00.000Z"),
      reputation_reset: reputationReset,
    }),
    {
      object: "organization",
      id: ORG_ID,
      name: "Acme",
      sending_paused_at: null,
      sending_paused_reason: null,
      resumed_at: "2026-11-30T12:00:00.000Z",
      reputation_reset: {
        at: "2026-11-30T12:00:00.000Z",
        day: "2026-11-30",
        sent: 1250,
        bounced: 78,
        complained: 1,
      },
    },
    "An admin resumed the organization's sending (POST /reputation/resume).",
  ),
  "webhook.disabled": eventSchema(
    "webhook.disabled",
    z.object({
      object: z.literal("webhook"),
      id: z.uuid().openapi({ example: "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e" }),
      endpoint: z.string().openapi({ example: "https://example.com/webhooks/thrive" }),
      events: z.array(z.string()).openapi({ example: ["email.delivered"] }),
      status: z.literal("disabled"),
      disabled_reason: z.string().openapi({
        example: "every delivery failed for 5 days (since 2026-11-25T12:00:00.000Z)",
      }),
      failing_since: timestamp("2026-11-25T12:00:00.000Z").nullable(),
      created_at: timestamp("2026-11-20T12:00:00.000Z"),
    }),
    {
      object: "webhook",
      id: "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e",
      endpoint: "https://example.com/webhooks/thrive",
      events: ["email.delivered"],
      status: "disabled",
      disabled_reason: "every delivery failed for 5 days (since 2026-11-25T12:00:00.000Z)",
      failing_since: "2026-11-25T12:00:00.000Z",
      created_at: "2026-11-20T12:00:00.000Z",
    },
    "An operational event: we disabled one of the organization's webhook endpoints (it answered 410 Gone, or failed for 5 days). It is never sent to the endpoint it is about.",
  ),
};

/** Every webhook event type's payload schema, by type. */
export const EVENT_PAYLOAD_SCHEMAS = {
  "email.sent": emailEventSchema("email.sent"),
  "email.scheduled": emailEventSchema("email.scheduled"),
  "email.delivered": emailEventSchema("email.delivered"),
  "email.delivery_delayed": emailEventSchema("email.delivery_delayed"),
  "email.complained": emailEventSchema("email.complained"),
  "email.bounced": emailEventSchema("email.bounced"),
  "email.opened": emailEventSchema("email.opened"),
  "email.clicked": emailEventSchema("email.clicked"),
  "email.failed": emailEventSchema("email.failed"),
  "email.suppressed": emailEventSchema("email.suppressed"),
  ...ORG_EVENT_SCHEMAS,
} satisfies Record<WebhookEventType, z.ZodType>;

export const EVENT_DESCRIPTIONS: Record<WebhookEventType, string> = {
  ...EMAIL_DESCRIPTIONS,
  "domain.created": "A domain was added.",
  "domain.updated": "A domain's settings, verification or sending state changed.",
  "domain.deleted": "A domain was removed.",
  "organization.sending_paused": "The organization's sending paused itself.",
  "organization.sending_resumed": "The organization's sending was resumed.",
  "webhook.disabled": "A webhook endpoint was disabled by Thrive-Send.",
};
