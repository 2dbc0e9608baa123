import { z } from "@hono/zod-openapi";
import { API_KEY_KINDS, API_KEY_PERMISSIONS } from "../../db/schema/index.ts";
import { normalizeCidr } from "../../lib/ip-allow-list.ts";
import { KEY_PERMISSIONS, PERMISSIONS, type Permission } from "../../lib/permissions.ts";
import { nameText } from "../../lib/text-schema.ts";
import { MAX_ROTATION_GRACE_SECONDS } from "../../services/api-keys/rotate-api-key.ts";

const id = z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" });

const futureTime = (what: string) =>
  z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2027-01-01T00:00:00Z" })
    .transform((value) => new Date(value))
    .refine((date) => date.getTime() > Date.now(), { message: "must be in the future" })
    .optional()
    .openapi({ description: what, example: "2027-01-01T00:00:00Z" });

const allowedIps = z
  .array(
    z
      .string()
      .max(64)
      .transform((entry, ctx) => {
        try {
          return normalizeCidr(entry);
        } catch {
          ctx.addIssue({ code: "custom", message: "must be a CIDR or an IP address" });
          return z.NEVER;
        }
      }),
  )
  .min(1)
  .max(100)
  .optional()
  .openapi({
    description:
      "Client addresses the key may be used from, as CIDRs or single addresses (IPv4 or IPv6). A request from elsewhere is refused with 403 `ip_not_allowed`. The client address is the connection's, or X-Forwarded-For's first entry when the server runs with TRUST_PROXY behind a proxy.",
    example: ["203.0.113.0/24", "2001:db8::/32"],
  });

const keyPermission = z.enum(KEY_PERMISSIONS as [Permission, ...Permission[]], {
  message:
    "must be a permission an API key can hold (the organization's and its members' are for people only)",
});

export const CreateApiKeySchema = z
  .strictObject({
    name: nameText(50).openapi({ example: "Production" }),
    permission: z.enum(API_KEY_PERMISSIONS).optional().openapi({
      description:
        "Resend's kinds. `full_access` (the default): every operation open to API keys. `sending_access`: can only send emails (POST /emails and /emails/batch). Not with `permissions`.",
      example: "sending_access",
    }),
    permissions: z
      .array(keyPermission)
      .min(1)
      .max(PERMISSIONS.length)
      .transform((list) => [...new Set(list)])
      .optional()
      .openapi({
        description:
          "Instead of `permission`: exactly these permissions (each operation of the spec names its own in `x-permission`). Never the people's (`organization:*`, `members:*`); never one the caller lacks. The key's `permission` is then `custom`.",
        example: ["emails:send", "emails:read", "domains:read"],
      }),
    domain_id: z.uuid("must be a domain id (a UUID)").optional().openapi({
      description:
        "Limits a key that can send (`sending_access`, or `permissions` with `emails:send`) to sending from this domain of the organization. Its other permissions are not limited by it.",
      example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
    }),
    expires_at: futureTime(
      "When the key stops working (403 `invalid_api_key` after). Never, when not given.",
    ),
    allowed_ips: allowedIps,
  })
  .refine((input) => !(input.permission && input.permissions), {
    message: "give either `permission` (Resend's kinds) or `permissions`, not both",
    path: ["permissions"],
  })
  .refine(
    (input) =>
      !input.domain_id ||
      (input.permissions
        ? input.permissions.includes("emails:send")
        : input.permission === "sending_access"),
    {
      message:
        "only a key that can send (sending_access, or permissions with emails:send) can be limited to a domain",
      path: ["domain_id"],
    },
  )
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
    permission: z.enum(API_KEY_KINDS).openapi({
      description:
        "Resend's `full_access` or `sending_access`, or `custom` for a key created with its own `permissions`.",
      example: "full_access",
    }),
    permissions: z.array(z.enum(PERMISSIONS)).openapi({
      description:
        "What the key may do, whatever its kind: the `x-permission` of each operation it may call.",
      example: ["emails:send", "emails:read", "domains:read"],
    }),
    domain_id: z.uuid().nullable().openapi({
      description: "The domain the key may only send from, if any.",
      example: null,
    }),
    token_prefix: z
      .string()
      .openapi({ description: "The first characters of the key.", example: "ts_5kq1Vv" }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
    last_used_at: z.string().nullable().openapi({ example: null }),
    expires_at: z.string().nullable().openapi({
      description: "When the key stops working (a rotated key's grace period ends then).",
      example: null,
    }),
    allowed_ips: z
      .array(z.string())
      .nullable()
      .openapi({
        description: "The CIDRs the key may be used from; null: anywhere.",
        example: ["203.0.113.0/24"],
      }),
  })
  .openapi("ApiKey");

export const RotateApiKeySchema = z
  .strictObject({
    grace_period_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_ROTATION_GRACE_SECONDS)
      .optional()
      .openapi({
        description:
          "How long the old key keeps working: 0 to 2,592,000 (30 days), default 86,400 (24 hours). Never longer than its own expiry.",
        example: 3600,
      }),
    expires_at: futureTime("When the new key stops working. Never, when not given."),
  })
  .openapi("RotateApiKeyRequest");

export const RotatedApiKeySchema = z
  .object({
    object: z.literal("api_key"),
    id,
    token: z.string().openapi({
      description: "The new key. It is shown only here: store it now.",
      example: "ts_9Hq2Xv3Yw9XzA8bC7dE6fG5hJ4kL3mN2",
    }),
    previous: z
      .object({
        id,
        expires_at: z.string().openapi({ example: "2026-11-26T12:00:00.000Z" }),
      })
      .openapi({ description: "The key it replaces, and when that one stops working." }),
  })
  .openapi("RotatedApiKey");

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
