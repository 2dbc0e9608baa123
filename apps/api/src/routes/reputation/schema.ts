import { z } from "@hono/zod-openapi";

const domainId = z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" });

const scopeFields = {
  sent: z.number().int().openapi({
    description: "Recipients a server accepted, counted since `counted_since`.",
    example: 12840,
  }),
  bounced: z.number().int().openapi({ description: "Recipients that hard-bounced.", example: 97 }),
  complained: z
    .number()
    .int()
    .openapi({ description: "Recipients that marked an email as spam.", example: 3 }),
  bounce_rate: z.number().openapi({
    description: "`bounced / sent` (0 while nothing was sent).",
    example: 0.007555,
  }),
  complaint_rate: z.number().openapi({
    description: "`complained / sent` (0 while nothing was sent).",
    example: 0.000234,
  }),
  counted_since: z.string().nullable().openapi({
    description:
      "Start of the counting: the window's first day (UTC), or the last resume within the window, after which the earlier counts no longer count.",
    example: "2026-11-19T00:00:00.000Z",
  }),
  paused: z.boolean().openapi({
    description: "Whether sending is paused: POST /emails refuses it with `sending_paused`.",
    example: false,
  }),
  paused_at: z.string().nullable().openapi({ example: null }),
  paused_reason: z.string().nullable().openapi({
    description: "Which rate passed its threshold, its value and the threshold.",
    example: null,
  }),
};

export const ReputationSchema = z
  .object({
    object: z.literal("reputation"),
    window_days: z.number().int().openapi({
      description: "Days (UTC, today included) the rates are computed over.",
      example: 7,
    }),
    min_sent: z.number().int().openapi({
      description: "Recipients sent below which no rate pauses anything.",
      example: 500,
    }),
    thresholds: z
      .object({
        bounce_rate: z.number().openapi({ example: 0.04 }),
        complaint_rate: z.number().openapi({ example: 0.003 }),
      })
      .openapi({ description: "Past these rates, sending pauses itself." }),
    organization: z
      .object({
        id: z.uuid().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" }),
        ...scopeFields,
      })
      .openapi("OrganizationReputation", {
        description: "All of the organization's sending; a pause here stops every email.",
      }),
    domains: z.array(
      z
        .object({
          id: domainId,
          name: z.string().openapi({ example: "acme.dev" }),
          ...scopeFields,
        })
        .openapi("DomainReputation", { description: "Sending from one verified domain." }),
    ),
  })
  .openapi("Reputation");

export const ReputationQuerySchema = z.object({
  domain_id: domainId.optional().openapi({
    param: { name: "domain_id", in: "query" },
    description: "Only this domain in `domains`.",
  }),
});

export const ResumeSendingSchema = z
  .strictObject({
    domain_id: domainId.optional().openapi({
      description: "The domain to resume; without it, the organization's own pause is resumed.",
    }),
  })
  .openapi("ResumeSendingRequest");
