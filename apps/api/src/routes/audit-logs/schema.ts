import { z } from "@hono/zod-openapi";
import { AUDIT_ACTOR_TYPES } from "../../db/schema/index.ts";
import { sinceEpoch } from "../../lib/time-bounds.ts";
import type { AuditLogFilter } from "../../services/audit/audit-log-rows.ts";
import { paginationQuery } from "../pagination-schema.ts";

const query = (name: string) => ({ param: { name, in: "query" as const } });

const dateTime = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-30T10:00:00Z" })
    .transform((value) => new Date(value))
    .optional()
    .openapi({ ...query(name), description, example: "2026-11-30T00:00:00Z" });

const filterFields = {
  action: z
    .string()
    .regex(/^[a-z_]+(\.[a-z_]+)*(\.\*)?$/, "must be an action (`api_key.created`) or `kind.*`")
    .max(100)
    .optional()
    .openapi({
      ...query("action"),
      description: "Only this action (`api_key.created`), or every action of a kind (`api_key.*`).",
      example: "api_key.*",
    }),
  actor_type: z
    .enum(AUDIT_ACTOR_TYPES)
    .optional()
    .openapi({ ...query("actor_type"), example: "api_key" }),
  actor_id: z
    .uuid("must be an API key's or a user's id (a UUID)")
    .optional()
    .openapi({
      ...query("actor_id"),
      description: "Only what this API key or user did.",
      example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
    }),
  target_type: z
    .string()
    .max(50)
    .regex(/^[a-z_]{1,50}$/, "must be an object type, e.g. domain")
    .optional()
    .openapi({ ...query("target_type"), example: "domain" }),
  target_id: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .openapi({
      ...query("target_id"),
      description: "Only the entries about this object.",
      example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
    }),
  created_after: dateTime("created_after", "Only entries recorded at or after this time."),
  created_before: dateTime("created_before", "Only entries recorded before this time."),
};

type Range = { created_after?: Date | undefined; created_before?: Date | undefined };
const ordered = (range: Range) =>
  !(range.created_after && range.created_before && range.created_after >= range.created_before);
const ORDERED = {
  message: "`created_after` must be before `created_before`",
  path: ["created_before"],
};

export const ListAuditLogsQuerySchema = paginationQuery(filterFields).refine(ordered, ORDERED);

export const ExportAuditLogsQuerySchema = z
  .object({
    format: z
      .enum(["ndjson", "csv"])
      .default("ndjson")
      .openapi({
        ...query("format"),
        description:
          "`ndjson`: one entry per line, as GET /audit-logs shows it. `csv`: a header row, then one row per entry.",
        example: "csv",
      }),
    ...filterFields,
  })
  .refine(ordered, ORDERED);

export function auditLogFilter(parsed: {
  action?: string | undefined;
  actor_type?: AuditLogFilter["actorType"];
  actor_id?: string | undefined;
  target_type?: string | undefined;
  target_id?: string | undefined;
  created_after?: Date | undefined;
  created_before?: Date | undefined;
}): AuditLogFilter {
  return {
    action: parsed.action,
    actorType: parsed.actor_type,
    actorId: parsed.actor_id,
    targetType: parsed.target_type,
    targetId: parsed.target_id,
    createdAfter: sinceEpoch(parsed.created_after),
    createdBefore: sinceEpoch(parsed.created_before),
  };
}

export const AuditLogSchema = z
  .object({
    object: z.literal("audit_log"),
    id: z.uuid().openapi({ example: "019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c" }),
    action: z.string().openapi({ example: "api_key.created" }),
    actor: z
      .object({
        type: z.enum(AUDIT_ACTOR_TYPES).openapi({ example: "api_key" }),
        id: z.uuid().nullable().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" }),
      })
      .openapi({ description: "Who did it: an API key, a user, or the system (null id)." }),
    target: z
      .object({
        type: z.string().openapi({ example: "api_key" }),
        id: z.string().nullable().openapi({ example: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47" }),
      })
      .nullable()
      .openapi({ description: "What it was done to." }),
    ip: z.string().nullable().openapi({ example: "203.0.113.7" }),
    user_agent: z.string().nullable().openapi({ example: "resend-node:6.1.0" }),
    request_id: z.string().nullable().openapi({ example: "019ad4c2-8f30-7c11-9e2d-0a1b2c3d4e5f" }),
    details: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ example: { name: "Production", permission: "full_access" } }),
    created_at: z.string().openapi({ format: "date-time", example: "2026-11-30T10:00:02.481Z" }),
  })
  .openapi("AuditLog", {
    description:
      "One mutation or security event: recorded in the same transaction as the change, never changed or removed.",
  });

export const AuditLogListSchema = z
  .object({ object: z.literal("list"), data: z.array(AuditLogSchema), has_more: z.boolean() })
  .openapi("AuditLogList");
