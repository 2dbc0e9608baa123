import { z } from "@hono/zod-openapi";
import { SUPPRESSION_ORIGINS } from "../../db/schema/index.ts";
import { trimmedPattern } from "../../lib/text-schema.ts";
import { paginationQuery } from "../pagination-schema.ts";

const id = z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" });
/**
 * Trimmed before it is checked, as Resend does; stored lowercased. The spec's pattern is the
 * check's (zod's email), with what trimming removes around it.
 */
const email = z
  .string()
  .max(320)
  .trim()
  .pipe(z.email("must be an email address"))
  .openapi({
    pattern: trimmedPattern(z.regexes.email.source.slice(1, -1)),
    example: "steve.wozniak@example.com",
  });
const emails = z
  .array(email)
  .min(1)
  .max(100)
  .openapi({
    example: ["steve.wozniak@example.com", "susan.kare@example.com"],
  });

export const AddSuppressionSchema = z.strictObject({ email }).openapi("AddSuppressionRequest");

export const BatchAddSuppressionsSchema = z
  .strictObject({ emails })
  .openapi("BatchAddSuppressionsRequest");

export const BatchRemoveSuppressionsSchema = z
  .union([z.strictObject({ emails }), z.strictObject({ ids: z.array(id).min(1).max(100) })])
  .openapi("BatchRemoveSuppressionsRequest", {
    description: "Either `emails` or `ids`, 1 to 100 of them.",
  });

export const SuppressionRefSchema = z
  .object({ object: z.literal("suppression"), id })
  .openapi("SuppressionRef");

const origin = z.enum(SUPPRESSION_ORIGINS).openapi({
  description:
    "`bounce`: a hard bounce; `complaint`: marked as spam; `unsubscribe`: one-click unsubscribe; `manual`: added through the API.",
  example: "bounce",
});

const fields = {
  id,
  email: z.string().openapi({ example: "susan.kare@example.com" }),
  origin,
  source_id: z.uuid().nullable().openapi({
    description: "The email whose bounce, complaint or unsubscribe caused it.",
    example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11",
  }),
  created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
};

export const SuppressionSchema = z
  .object({ object: z.literal("suppression"), ...fields })
  .openapi("Suppression");

export const SuppressionListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object(fields).openapi("SuppressionListEntry")),
    has_more: z.boolean(),
  })
  .openapi("SuppressionList");

export const RemovedSuppressionSchema = z
  .object({ object: z.literal("suppression"), id, deleted: z.boolean() })
  .openapi("RemovedSuppression");

export const BatchAddedSuppressionsSchema = z
  .object({ data: z.array(SuppressionRefSchema) })
  .openapi("BatchAddedSuppressions");

export const BatchRemovedSuppressionsSchema = z
  .object({ data: z.array(RemovedSuppressionSchema) })
  .openapi("BatchRemovedSuppressions");

export const ListSuppressionsQuerySchema = paginationQuery({
  origin: z
    .enum(SUPPRESSION_ORIGINS)
    .optional()
    .openapi({ param: { name: "origin", in: "query" }, example: "bounce" }),
});

export const IdOrEmailParamsSchema = z.object({
  id_or_email: z
    .string()
    .min(1)
    .max(320)
    .openapi({
      param: { name: "id_or_email", in: "path" },
      description: "The suppression's id or the suppressed address.",
      example: "susan.kare@example.com",
    }),
});
