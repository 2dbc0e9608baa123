import { z } from "@hono/zod-openapi";
import { parseAddress } from "../../lib/address.ts";
import { nameText, trimmedPattern } from "../../lib/text-schema.ts";

const id = z.uuid().openapi({ example: "019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11" });
const timestamp = z.string().openapi({ example: "2026-11-25T12:00:00.000Z" });

export const OrganizationSchema = z
  .object({
    object: z.literal("organization"),
    id,
    name: z.string().openapi({ example: "Acme" }),
    default_from: z.string().nullable().openapi({ example: "Acme <hello@acme.dev>" }),
    default_open_tracking: z.boolean().openapi({ example: false }),
    default_click_tracking: z.boolean().openapi({ example: true }),
    data_retention_days: z.number().int().nullable().openapi({ example: 90 }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("Organization");

export const UpdateOrganizationSchema = z
  .strictObject({
    name: nameText(200).optional().openapi({ example: "Acme Inc." }),
    default_from: z
      .string()
      .max(320)
      .refine(
        (value) => !("error" in parseAddress(value)),
        "must be an email address, e.g. Acme <hello@acme.dev>",
      )
      .nullable()
      .optional()
      .openapi({
        description: "The from address the console proposes; null removes it.",
        example: "Acme <hello@acme.dev>",
      }),
    default_open_tracking: z.boolean().optional().openapi({
      description: "Open tracking of domains added without `open_tracking`.",
      example: false,
    }),
    default_click_tracking: z.boolean().optional().openapi({
      description: "Click tracking of domains added without `click_tracking`.",
      example: true,
    }),
    data_retention_days: z.number().int().min(1).max(3650).nullable().optional().openapi({
      description: "Emails and their events older than this are deleted; null keeps them.",
      example: 90,
    }),
  })
  .openapi("UpdateOrganizationRequest");

export const DeletedOrganizationSchema = z
  .object({ object: z.literal("organization"), id, deleted: z.literal(true) })
  .openapi("DeletedOrganization");

export const TransferOwnershipSchema = z
  .strictObject({
    member_id: z
      .uuid("must be a member id (a UUID)")
      .openapi({ example: "019a7c2e-8c23-7f4d-8e5a-6b7c8d9e0f1a" }),
  })
  .openapi("TransferOwnershipRequest");

const issuer = z
  .url({ protocol: /^https?$/, error: "must be the provider's issuer URL" })
  .max(2000)
  .openapi({ example: "https://idp.acme.dev" });
const domainList = z
  .array(
    z
      .string()
      .max(253)
      .trim()
      .toLowerCase()
      .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "must be a domain name")
      // The check's regex as the spec states it: trimmed and lowercased first.
      .openapi({
        pattern: trimmedPattern(
          "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}",
        ),
      }),
  )
  .min(1)
  .max(50)
  .openapi({
    description: "Only people with an email of these domains may sign in.",
    example: ["acme.dev"],
  });
const role = z.string().max(50).openapi({
  description: "The role of people on their first sign-in: admin, developer, analyst or billing.",
  example: "developer",
});

export const CreateOidcConnectionSchema = z
  .strictObject({
    issuer,
    client_id: z.string().min(1).max(500).openapi({ example: "thrive-send" }),
    client_secret: z.string().min(1).max(2000).openapi({ example: "s3cr3t-from-the-provider" }),
    allowed_domains: domainList,
    default_role: role,
    enabled: z.boolean().optional().openapi({ example: true }),
  })
  .openapi("CreateOidcConnectionRequest");

export const UpdateOidcConnectionSchema = z
  .strictObject({
    issuer: issuer.optional(),
    client_id: z.string().min(1).max(500).optional().openapi({ example: "thrive-send" }),
    client_secret: z.string().min(1).max(2000).optional().openapi({ example: "n3w-s3cr3t" }),
    allowed_domains: domainList.optional(),
    default_role: role.optional(),
    enabled: z.boolean().optional().openapi({ example: false }),
  })
  .openapi("UpdateOidcConnectionRequest");

export const OidcConnectionSchema = z
  .object({
    object: z.literal("oidc_connection"),
    id,
    issuer: z.string().openapi({ example: "https://idp.acme.dev" }),
    client_id: z.string().openapi({ example: "thrive-send" }),
    allowed_domains: z.array(z.string()).openapi({ example: ["acme.dev"] }),
    default_role: z.string().openapi({ example: "developer" }),
    enabled: z.boolean().openapi({ example: true }),
    redirect_uri: z.string().openapi({
      description: "Register it at the provider.",
      example: "https://mail.acme.dev/auth/oidc/callback",
    }),
    sign_in_url: z.string().openapi({
      description: "Where the console sends people to sign in with the provider.",
      example: "https://mail.acme.dev/auth/oidc/019a7c2e-5b7d-7cc1-9f3e-2d1c5b0a9e11/start",
    }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .openapi("OidcConnection", { description: "The client secret is never shown again." });

export const DeletedOidcConnectionSchema = z
  .object({ object: z.literal("oidc_connection"), id, deleted: z.literal(true) })
  .openapi("DeletedOidcConnection");
