import { z } from "@hono/zod-openapi";

export const RequestSigningSchema = z
  .object({
    object: z.literal("request_signing"),
    enabled: z.boolean().openapi({
      description: "Whether every API request of the organization must be signed.",
      example: true,
    }),
    created_at: z.string().nullable().openapi({ example: "2026-11-25T12:00:00.000Z" }),
    rotated_at: z.string().nullable().openapi({ example: "2026-11-25T12:00:00.000Z" }),
    previous_secret_expires_at: z.string().nullable().openapi({
      description: "Until then, signatures made with the previous secret are accepted too.",
      example: null,
    }),
  })
  .openapi("RequestSigning");

export const RequestSigningSecretSchema = RequestSigningSchema.extend({
  secret: z.string().openapi({
    description:
      "The HMAC-SHA256 key (its UTF-8 bytes) of the X-Thrive-Signature header. Shown only here: store it now.",
    example: "rss_3q2Vv9Yw8XzA7bC6dE5fG4hJ3kL2mN1pQ0rS9tU8vW7",
  }),
}).openapi("RequestSigningSecret");
