import { z } from "@hono/zod-openapi";
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_STATUSES } from "../../db/schema/index.ts";
import { DELIVERED_EVENT_TYPES, WEBHOOK_EVENT_TYPES } from "../../services/webhooks/event-types.ts";

const id = z.uuid().openapi({ example: "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e" });
const eventId = z.uuid().openapi({
  description: "The event's id: the same for every webhook that receives it.",
  example: "019a7c2e-8d42-7c1b-8e5f-6a7b8c9d0e1f",
});
const createdAt = z.string().openapi({ example: "2026-11-25T12:00:00.000Z" });

/**
 * An absolute http(s) URL without credentials. Where it may point (public addresses, https
 * but for the SSRF allow-list) depends on the installation: the service checks that.
 */
const EndpointSchema = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: "custom", message: "must be an absolute URL, e.g. https://..." });
      return;
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({ code: "custom", message: "must be an https URL" });
    } else if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "must not carry credentials" });
    }
  })
  .openapi({
    description:
      "Where events are POSTed: an https URL on a public address (plain http only to the networks the installation allows, such as a local receiver in development).",
    example: "https://example.com/webhooks/thrive",
  });

const EventTypesSchema = z
  .array(z.enum(WEBHOOK_EVENT_TYPES, `must be one of ${WEBHOOK_EVENT_TYPES.join(", ")}`))
  .min(1, "must list at least one event type")
  .max(100)
  .transform((types) => [...new Set(types)])
  .openapi({
    description: "The event types this webhook receives.",
    example: ["email.delivered", "email.bounced", "domain.updated"],
  });

const status = z.enum(WEBHOOK_STATUSES).openapi({
  description: "A disabled webhook receives nothing.",
  example: "enabled",
});

const signingSecret = z.string().openapi({
  description:
    "The secret the `webhook-signature` header is computed with (Svix / Standard Webhooks).",
  example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
});

export const CreateWebhookSchema = z
  .strictObject({ endpoint: EndpointSchema, events: EventTypesSchema })
  .openapi("CreateWebhookRequest");

export const UpdateWebhookSchema = z
  .strictObject({
    endpoint: EndpointSchema.optional(),
    events: EventTypesSchema.optional(),
    status: status.optional(),
  })
  .refine((input) => Object.values(input).some((value) => value !== undefined), {
    message: "give at least one of endpoint, events, status",
  })
  .openapi("UpdateWebhookRequest");

const webhookFields = {
  id,
  endpoint: z.string().openapi({ example: "https://example.com/webhooks/thrive" }),
  created_at: createdAt,
  status,
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).openapi({ example: ["email.delivered"] }),
};

export const WebhookSchema = z
  .object({
    object: z.literal("webhook"),
    ...webhookFields,
    signing_secret: signingSecret,
    disabled_reason: z.string().nullable().openapi({
      description:
        "Why Thrive-Send disabled it (the endpoint answered 410 Gone, or kept failing); null when enabled or disabled by a user.",
      example: null,
    }),
  })
  .openapi("Webhook");

export const WebhookListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object(webhookFields).openapi("WebhookListItem")),
    has_more: z.boolean(),
  })
  .openapi("WebhookList");

export const WebhookSecretSchema = z
  .object({ object: z.literal("webhook"), id, signing_secret: signingSecret })
  .openapi("WebhookSigningSecret", {
    description: "A webhook and its (new) signing secret.",
  });

export const WebhookRefSchema = z
  .object({ object: z.literal("webhook"), id })
  .openapi("WebhookRef");

export const DeletedWebhookSchema = z
  .object({ object: z.literal("webhook"), id, deleted: z.literal(true) })
  .openapi("DeletedWebhook");

const eventFields = {
  id: eventId,
  type: z.enum(DELIVERED_EVENT_TYPES).openapi({ example: "email.delivered" }),
  created_at: createdAt,
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).openapi({
    description:
      "`pending`: waiting for its (next) attempt; `attempting`: being sent; `success`: the endpoint answered 2xx; `failed`: given up.",
    example: "success",
  }),
};

export const WebhookEventListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object(eventFields).openapi("WebhookEventListItem")),
    has_more: z.boolean(),
  })
  .openapi("WebhookEventList");

const PayloadSchema = z
  .object({
    type: z.string().openapi({ example: "email.delivered" }),
    created_at: createdAt,
    data: z.record(z.string(), z.unknown()).openapi({
      example: {
        email_id: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
        from: "Acme <onboarding@acme.dev>",
        to: ["delivered@example.com"],
        subject: "hello world",
      },
    }),
  })
  .openapi("WebhookEventPayload", {
    description: "The body POSTed to the endpoint, in Resend's shape.",
  });

export const WebhookEventSchema = z
  .object({
    object: z.literal("webhook_event"),
    ...eventFields,
    attempts: z.number().int().openapi({ description: "Attempts made so far.", example: 1 }),
    next_attempt_at: z.string().nullable().openapi({
      description: "When it is (re)tried next; null once it succeeded or was given up.",
      example: null,
    }),
    last_attempt_at: z.string().nullable().openapi({ example: "2026-11-25T12:00:01.000Z" }),
    payload: PayloadSchema.nullable().openapi({
      description: "Null only when the email it is about was purged.",
    }),
  })
  .openapi("WebhookEvent");

export const WebhookEventRefSchema = z
  .object({ object: z.literal("webhook_event"), id: eventId })
  .openapi("WebhookEventRef");

export const WebhookEventAttemptListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(
      z
        .object({
          id,
          http_status_code: z.number().int().nullable().openapi({
            description: "Null when no response came (timeout, refused connection).",
            example: 200,
          }),
          response: z.string().openapi({
            description: "The start of the response body, or what went wrong.",
            example: "ok",
          }),
          sent_at: createdAt,
          latency_ms: z.number().int().openapi({ example: 84 }),
        })
        .openapi("WebhookEventAttempt"),
    ),
    has_more: z.boolean(),
  })
  .openapi("WebhookEventAttemptList");

const pathId = (name: string, what: string, example: string) =>
  z.uuid(`must be a valid ${what} id (a UUID)`).openapi({
    param: { name, in: "path" },
    example,
  });

export const WebhookIdParamsSchema = z.object({
  id: pathId("id", "webhook", "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e"),
});

export const WebhookEventParamsSchema = z.object({
  id: pathId("id", "webhook", "019a7c2e-8c21-7a3b-9d4e-5f6a7b8c9d0e"),
  event_id: pathId("event_id", "event", "019a7c2e-8d42-7c1b-8e5f-6a7b8c9d0e1f"),
});
