import { z } from "@hono/zod-openapi";
import { EMAIL_EVENT_TYPES } from "../../db/schema/index.ts";
import { parseAddress } from "../../lib/address.ts";

/** A regex rather than a refine: the spec then publishes it as the field's `pattern`. */
const SINGLE_LINE = /^[^\r\n]*$/;
const MAX_RECIPIENTS = 50;
/** Decoded size of all attachments of one email, as Resend allows. */
export const MAX_ATTACHMENTS_BYTES = 40 * 1024 * 1024;
const MAX_SCHEDULE_AHEAD_MS = 365 * 24 * 60 * 60 * 1000;

/** Headers Thrive-Send writes itself: setting them through `headers` would corrupt the message. */
const RESERVED_HEADERS = new Set([
  "from",
  "to",
  "cc",
  "bcc",
  "subject",
  "reply-to",
  "sender",
  "date",
  "message-id",
  "mime-version",
  "content-type",
  "content-transfer-encoding",
  "dkim-signature",
  "return-path",
]);

const address = z
  .string()
  .max(998)
  .superRefine((value, ctx) => {
    const parsed = parseAddress(value);
    if ("error" in parsed) ctx.addIssue({ code: "custom", message: parsed.error });
  })
  .openapi({ example: "Acme <onboarding@acme.dev>" });

const addressList = (description: string) =>
  z
    .union([address, z.array(address).min(1).max(MAX_RECIPIENTS)])
    .openapi({ description, example: ["delivered@example.com"] });

const tagPart = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+$/, "may only contain ASCII letters, numbers, underscores and dashes");

export const TagSchema = z
  .strictObject({
    name: tagPart.openapi({ example: "category" }),
    value: tagPart.openapi({ example: "confirm_email" }),
  })
  .openapi("Tag");

/** Longest `path` accepted: URLs past this are refused by many servers and proxies anyway. */
export const MAX_ATTACHMENT_URL_LENGTH = 2048;

/**
 * Where the worker fetches an attachment from. Only the URL's form is checked here: whether
 * its host may be reached is decided at fetch time, on the address it resolves to then.
 */
const attachmentUrl = z
  .string()
  .max(MAX_ATTACHMENT_URL_LENGTH, `must be at most ${MAX_ATTACHMENT_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    // new URL() silently drops these: what we store must be what we fetch.
    if (/\p{Cc}/u.test(value) || value !== value.trim()) {
      ctx.addIssue({
        code: "custom",
        message: "must not contain control characters or surrounding spaces",
      });
      return;
    }
    const url = URL.parse(value);
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:")) {
      ctx.addIssue({ code: "custom", message: "must be an absolute http or https URL" });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not contain credentials" });
    }
  });

/**
 * When to send. A time in the past sends now; one before 1970 is refused: PostgreSQL has no
 * year 0 (a 500 when stored) and JavaScript reads years below 100 as 19xx, and no client
 * means such a time.
 */
const sendTime = () =>
  z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-08-05T11:52:01Z" })
    .refine((value) => Date.parse(value) >= 0, "must be 1970 or later");

/** Generous: a newsletter's HTML is rarely over 1 MB; MAX_BODY_BYTES bounds the request. */
const MAX_BODY_CHARACTERS = 10 * 1024 * 1024;
/** A 40 MB file, base64-encoded. */
const MAX_ATTACHMENT_BASE64 = 56 * 1024 * 1024;
const MAX_HEADERS = 100;

export const AttachmentSchema = z
  .strictObject({
    content: z.base64("must be base64-encoded").max(MAX_ATTACHMENT_BASE64).nullish().openapi({
      description: "File content, base64-encoded. Give either `content` or `path`.",
      pattern: z.regexes.base64.source,
      example: "SGVsbG8gd29ybGQ=",
    }),
    path: attachmentUrl.nullish().openapi({
      format: "uri",
      description:
        "An http(s) URL the file is fetched from when the email is sent (not stored: fetched again on a retry). Give either `content` or `path`.",
      example: "https://files.acme.dev/invoices/2026-11.pdf",
    }),
    filename: z
      .string()
      .min(1)
      .max(255)
      .regex(SINGLE_LINE, "must not contain line breaks")
      .nullish()
      .openapi({
        description:
          "With `path`, derived from the response's Content-Disposition or the URL when absent.",
        example: "invoice.pdf",
      }),
    content_type: z
      .string()
      .max(255)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a MIME type such as application/pdf")
      .nullish()
      .openapi({
        description:
          "With `path`, the response's Content-Type when absent; otherwise derived from the filename.",
        example: "application/pdf",
      }),
    content_id: z
      .string()
      .min(1)
      .max(255)
      .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
      .nullish()
      .openapi({
        description:
          "Makes the attachment inline: reference it from the HTML as `cid:<content_id>`.",
        example: "logo",
      }),
  })
  .superRefine((attachment, ctx) => {
    const hasContent = attachment.content != null;
    const hasPath = attachment.path != null;
    if (hasContent === hasPath) {
      ctx.addIssue({
        code: "custom",
        message: hasContent
          ? "give either `content` or `path`, not both"
          : "either `content` or `path` is required",
      });
    }
  })
  .openapi("Attachment");

const HEADER_NAME = /^[!-9;-~]+$/;
const headerName = z
  .string()
  .min(1)
  .max(100)
  .regex(HEADER_NAME, "header names are printable ASCII without spaces or colons")
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), {
    message: "this header is set by Thrive-Send; use the matching field instead",
  });
/** `Subject` → `[sS][uU]...`: JSON Schema patterns take no case-insensitive flag. */
const caseless = (name: string) =>
  [...name].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join("");
/** headerName's rules as the spec's `propertyNames`: a record's key schema is not published. */
const HEADER_NAMES = {
  minLength: 1,
  maxLength: 100,
  pattern: `^(?!(?:${[...RESERVED_HEADERS].map(caseless).join("|")})$)${HEADER_NAME.source.slice(1)}`,
};

const headerValue = z
  .string()
  .max(998)
  .regex(SINGLE_LINE, "header values must not contain line breaks");

export const SendEmailSchema = z
  .strictObject({
    from: address.openapi({
      description:
        'Sender address. To include a friendly name, use `"Your Name <sender@domain.com>"`.',
    }),
    to: addressList(`Recipient address or addresses (at most ${MAX_RECIPIENTS}).`),
    cc: addressList("Carbon copy recipients.").nullish(),
    bcc: addressList("Blind carbon copy recipients.").nullish(),
    reply_to: addressList("Reply-to addresses.").nullish(),
    subject: z
      .string()
      .min(1)
      .max(998)
      .regex(SINGLE_LINE, "must not contain line breaks")
      .openapi({ example: "hello world" }),
    html: z.string().max(MAX_BODY_CHARACTERS).nullish().openapi({ example: "<p>it works!</p>" }),
    text: z.string().max(MAX_BODY_CHARACTERS).nullish().openapi({
      description: "Plain-text body; generated from `html` when absent.",
      example: "it works!",
    }),
    // A union with null rather than .nullish(): the spec then says `anyOf` [the object, null],
    // which the Python SDK's generator keeps optional (with `propertyNames` on a type list,
    // it drops the null).
    headers: z
      .union([
        z
          .record(headerName, headerValue)
          .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, {
            message: `at most ${MAX_HEADERS} headers`,
          })
          .openapi({
            maxProperties: MAX_HEADERS,
            // OpenAPI 3.1 (JSON Schema) has propertyNames; the metadata's type is OpenAPI 3.0's.
            ...({ propertyNames: HEADER_NAMES } as object),
          }),
        z.null(),
      ])
      .optional()
      .openapi({ description: "Custom headers.", example: { "X-Entity-Ref-ID": "123456789" } }),
    attachments: z.array(AttachmentSchema).max(100).nullish(),
    tags: z.array(TagSchema).max(50).nullish(),
    scheduled_at: sendTime().nullish().openapi({
      description:
        "Send at this time instead of now (ISO 8601), at most 365 days ahead. A time in the past (from 1970 on) sends now.",
      example: "2026-12-01T09:00:00Z",
    }),
  })
  .superRefine((email, ctx) => {
    if (email.html == null && email.text == null) {
      ctx.addIssue({
        code: "custom",
        path: ["html"],
        message: "either `html` or `text` is required",
      });
    }
    const recipients = [email.to, email.cc ?? [], email.bcc ?? []].flat();
    if (recipients.length > MAX_RECIPIENTS * 3) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "too many recipients" });
    }
    // Only what the request carries: files given by `path` are limited when fetched.
    const attachmentBytes = (email.attachments ?? []).reduce(
      (sum, attachment) => sum + Math.floor(((attachment.content?.length ?? 0) * 3) / 4),
      0,
    );
    if (attachmentBytes > MAX_ATTACHMENTS_BYTES) {
      ctx.addIssue({
        code: "custom",
        path: ["attachments"],
        message: `attachments may total at most ${MAX_ATTACHMENTS_BYTES / 1024 / 1024} MB`,
      });
    }
    if (email.scheduled_at && Date.parse(email.scheduled_at) - Date.now() > MAX_SCHEDULE_AHEAD_MS) {
      ctx.addIssue({
        code: "custom",
        path: ["scheduled_at"],
        message: "may be at most 365 days ahead",
      });
    }
  })
  .openapi("SendEmailRequest");

export type SendEmailInput = z.infer<typeof SendEmailSchema>;

export const SendEmailResponseSchema = z
  .object({ id: z.uuid().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" }) })
  .openapi("SendEmailResponse");

const idempotencyKeyHeader = z
  .string()
  .optional()
  .openapi({
    // Checked by lib/idempotency.ts, which answers invalid_idempotency_key outside them.
    minLength: 1,
    maxLength: 256,
    param: { name: "idempotency-key", in: "header" },
    description:
      "Makes the request safe to retry: for 24 hours, the same key with the same body answers the first response and sends nothing again.",
    example: "welcome-user/123456789",
  });

export const SendHeadersSchema = z.object({ "idempotency-key": idempotencyKeyHeader });

export const BatchHeadersSchema = z.object({
  "idempotency-key": idempotencyKeyHeader,
  "x-batch-validation": z
    .enum(["strict", "permissive"])
    .optional()
    .openapi({
      param: { name: "x-batch-validation", in: "header" },
      description:
        "`strict` (default): one invalid email rejects the whole batch. `permissive`: valid emails are sent and invalid ones listed in `errors`.",
      example: "strict",
    }),
});

/** Each element is validated on its own in the handler, so permissive mode can keep the valid ones. */
export const BatchRequestSchema = z
  .array(z.unknown())
  .min(1, "a batch needs at least one email")
  .max(100, "a batch holds at most 100 emails")
  .openapi({
    type: "array",
    items: { $ref: "#/components/schemas/SendEmailRequest" },
    minItems: 1,
    maxItems: 100,
  });

export const BatchResponseSchema = z
  .object({
    data: z.array(SendEmailResponseSchema),
    errors: z
      .array(
        z.object({
          index: z.number().int().openapi({ example: 1 }),
          message: z.string().openapi({ example: "`to`: Invalid email address" }),
        }),
      )
      .optional()
      .openapi({ description: "Only in permissive mode: the emails that were not sent." }),
  })
  .openapi("BatchResponse");

export const LastEventSchema = z.enum(EMAIL_EVENT_TYPES).openapi("EmailLastEvent", {
  description: "The latest event of the email.",
  example: "delivered",
});

const emailFields = {
  id: z.uuid().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" }),
  from: z.string().openapi({ example: "Acme <onboarding@acme.dev>" }),
  to: z.array(z.string()).openapi({ example: ["delivered@example.com"] }),
  cc: z.array(z.string()).nullable().openapi({ example: null }),
  bcc: z.array(z.string()).nullable().openapi({ example: null }),
  reply_to: z.array(z.string()).nullable().openapi({ example: null }),
  subject: z.string().openapi({ example: "hello world" }),
  last_event: LastEventSchema,
  scheduled_at: z.string().nullable().openapi({ example: null }),
  created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  message_id: z.string().openapi({
    description: "The Message-ID header of the message.",
    example: "<019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11@acme.dev>",
  }),
};

export const EmailSchema = z
  .object({
    object: z.literal("email"),
    ...emailFields,
    html: z.string().nullable().openapi({ example: "<p>it works!</p>" }),
    text: z.string().nullable().openapi({ example: null }),
    tags: z.array(TagSchema).openapi({ example: [{ name: "category", value: "confirm_email" }] }),
  })
  .openapi("Email");

export const EmailListItemSchema = z.object(emailFields).openapi("EmailListItem");

export const EmailListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(EmailListItemSchema),
    has_more: z.boolean(),
  })
  .openapi("EmailList");

export const EmailIdParamsSchema = z.object({
  id: z.uuid("must be a valid email id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",
  }),
});

export const UpdateEmailSchema = z
  .strictObject({
    scheduled_at: sendTime().openapi({
      description: "The new send time. A time in the past (from 1970 on) sends now.",
      example: "2026-12-01T10:00:00Z",
    }),
  })
  .openapi("UpdateEmailRequest");

export const EmailRefSchema = z
  .object({
    object: z.literal("email"),
    id: z.uuid().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" }),
  })
  .openapi("EmailRef");
