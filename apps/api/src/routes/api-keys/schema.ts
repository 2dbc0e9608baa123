import { z } from "@hono/zod-openapi";
import { API_KEY_PERMISSIONS } from "../../db/schema/index.ts";

const id = z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" });

export const CreateApiKeySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(50).openapi({ example: "Production" }),
    permission: z.enum(API_KEY_PERMISSIONS).default("full_access").openapi({
      description:
        "`full_access`: every operation. `sending_access`: can only send emails (POST /emails and /emails/batch).",
      example: "sending_access",
    }),
    domain_id: z.uuid("must be a domain id (a UUID)").optional().openapi({
      description: "Limits a `sending_access` key to sending from this domain of the organization.",
      example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
    }),
  })
  .refine((input) => !input.domain_id || input.permission === "sending_access", {
    message: "only a sending_access key can be limited to a domain",
    path: ["domain_id"],
  })
  .openapi("CreateApiKeyRequest");

export const CreatedApiKeySchema = z
  .object({
    id,
    token: z.string().openapi({
      description: "The key. It is shown only here: store it now.",
      example: "ts_5kq1Vv3Yw9XzA8bC7dE6fG5hJ4kL3mN2",
    }),
  })
  .openapi("CreatedApiKey");

export const ApiKeySchema = z
  .object({
    id,
    name: z.string().openapi({ example: "Production" }),
    permission: z.enum(API_KEY_PERMISSIONS).openapi({ example: "full_access" }),
    domain_id: z.uuid().nullable().openapi({
      description: "The domain a sending_access key is limited to, if any.",
      example: null,
    }),
    token_prefix: z
      .string()
      .openapi({ description: "The first characters of the key.", example: "ts_5kq1Vv" }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
    last_used_at: z.string().nullable().openapi({ example: null }),
  })
  .openapi("ApiKey");

export const ApiKeyListSchema = z
  .object({ object: z.literal("list"), data: z.array(ApiKeySchema), has_more: z.boolean() })
  .openapi("ApiKeyList");

export const ApiKeyIdParamsSchema = z.object({
  id: z.uuid("must be a valid API key id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
  }),
});

export const DeletedApiKeySchema = z
  .object({ object: z.literal("api_key"), id, deleted: z.literal(true) })
  .openapi("DeletedApiKey");
