import { isIP } from "node:net";
import { z } from "@hono/zod-openapi";
import { PROVIDER_TYPES } from "../../db/schema/index.ts";
import { nameText } from "../../lib/text-schema.ts";

const id = z.uuid().openapi({ example: "019a7c2e-7b12-7e4f-9a6b-1c2d3e4f5a6b" });
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

const name = nameText(100).openapi({
  description: "Unique in the organization; recorded in an email's `sent` event as `provider`.",
  example: "Postmark",
});
const priority = z.number().int().min(-1000).max(1000).openapi({
  description:
    "Order among the organization's providers: lowest first. They are all tried before the installation's own.",
  example: 0,
});
const ratePerSecond = z.number().positive().max(100_000).nullable().openapi({
  description: "Messages per second through this provider, across all workers; null: no limit.",
  example: 50,
});
const enabled = z.boolean().openapi({
  description: "Disabled providers are kept but not used.",
  example: true,
});

const host = z
  .string()
  .max(253)
  .trim()
  .toLowerCase()
  .refine(
    (value) => HOST_NAME.test(value) || isIP(value.replace(/^\[(.*)\]$/, "$1")) !== 0,
    "must be a host name or an IP address",
  )
  .openapi({ example: "smtp.postmarkapp.com" });
const port = z.number().int().min(1).max(65535).openapi({ example: 587 });
const security = z.enum(["tls", "starttls", "none"]).openapi({
  description:
    "`tls`: implicit TLS (usually port 465). `starttls`: STARTTLS required before anything is sent. `none`: plain, STARTTLS when offered.",
  example: "starttls",
});
const username = z.string().min(1).max(255).openapi({
  description: "Write-only: never shown again.",
  example: "apikey",
});
const password = z.string().min(1).max(1024).openapi({
  description: "Write-only: never shown again.",
  example: "s3cr3t-token",
});
const finalHop = z.boolean().openapi({
  description: "The server is the recipients' own, so its acceptance means `delivered`.",
  example: false,
});
const region = z
  .string()
  .max(32)
  .regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "must be an AWS region, e.g. eu-west-1")
  .openapi({ example: "eu-west-1" });
const accessKeyId = z
  .string()
  .max(128)
  .regex(/^[A-Z0-9]{16,128}$/, "must be an AWS access key id")
  .openapi({ description: "Write-only: never shown again.", example: "AKIAIOSFODNN7EXAMPLE" });
const secretAccessKey = z.string().min(1).max(256).openapi({
  description: "Write-only: never shown again.",
  example: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
});
const configurationSet = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be an SES configuration set name")
  .openapi({ description: "Where SES publishes sending events.", example: "thrive-events" });

const SmtpSettingsSchema = z
  .strictObject({
    host,
    port: port.default(587),
    security: security.default("starttls"),
    username: username.optional(),
    password: password.optional(),
    final_hop: finalHop.default(false),
  })
  .refine((settings) => !settings.password || settings.username, {
    message: "is required with a password",
    path: ["username"],
  })
  .openapi("SmtpProviderSettings");

const SesSettingsSchema = z
  .strictObject({
    region,
    access_key_id: accessKeyId,
    secret_access_key: secretAccessKey,
    configuration_set: configurationSet.optional(),
  })
  .openapi("SesProviderSettings", {
    description: "Credentials are required: the installation's own AWS account is never used.",
  });

const common = {
  name,
  priority: priority.default(0),
  rate_per_second: ratePerSecond.default(null),
  enabled: enabled.default(true),
};

export const CreateProviderSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("smtp").openapi({ example: "smtp" }),
      smtp: SmtpSettingsSchema,
      ...common,
    }),
    z.strictObject({
      type: z.literal("ses").openapi({ example: "ses" }),
      ses: SesSettingsSchema,
      ...common,
    }),
  ])
  .openapi("CreateProviderRequest", {
    example: {
      name: "Postmark",
      type: "smtp",
      smtp: {
        host: "smtp.postmarkapp.com",
        port: 587,
        security: "starttls",
        username: "apikey",
        password: "s3cr3t-token",
        final_hop: false,
      },
      priority: 0,
      rate_per_second: 50,
      enabled: true,
    },
  });

export const UpdateProviderSchema = z
  .strictObject({
    name: name.optional(),
    priority: priority.optional(),
    rate_per_second: ratePerSecond.optional(),
    enabled: enabled.optional(),
    smtp: z
      .strictObject({
        host: host.optional(),
        port: port.optional(),
        security: security.optional(),
        username: username.nullable().optional(),
        password: password.nullable().optional(),
        final_hop: finalHop.optional(),
      })
      .optional()
      .openapi({ description: "Merged into the stored settings; null removes a credential." }),
    ses: z
      .strictObject({
        region: region.optional(),
        access_key_id: accessKeyId.optional(),
        secret_access_key: secretAccessKey.optional(),
        configuration_set: configurationSet.nullable().optional(),
      })
      .optional()
      .openapi({ description: "Merged into the stored settings." }),
  })
  .refine((body) => Object.keys(body).length > 0, { message: "nothing to update" })
  .openapi("UpdateProviderRequest", { example: { rate_per_second: 20, enabled: false } });

export const ProviderSchema = z
  .object({
    object: z.literal("provider").openapi({ example: "provider" }),
    id,
    name: z.string().openapi({ example: "Postmark" }),
    type: z.enum(PROVIDER_TYPES).openapi({ example: "smtp" }),
    priority: z.number().int().openapi({ example: 0 }),
    rate_per_second: z.number().nullable().openapi({ example: 50 }),
    enabled: z.boolean().openapi({ example: true }),
    smtp: z
      .object({
        host: z.string().openapi({ example: "smtp.postmarkapp.com" }),
        port: z.number().int().openapi({ example: 587 }),
        security: z.enum(["tls", "starttls", "none"]).openapi({ example: "starttls" }),
        final_hop: z.boolean().openapi({ example: false }),
      })
      .optional()
      .openapi({ description: "SMTP providers: their settings, without credentials." }),
    ses: z
      .object({
        region: z.string().openapi({ example: "eu-west-1" }),
        configuration_set: z.string().nullable().openapi({ example: "thrive-events" }),
      })
      .optional()
      .openapi({ description: "SES providers: their settings, without credentials." }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
    updated_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  })
  .openapi("Provider", {
    description: "A mail provider of the organization's own. Credentials are never returned.",
  });

export const ProviderListSchema = z
  .object({ object: z.literal("list"), data: z.array(ProviderSchema), has_more: z.boolean() })
  .openapi("ProviderList");

export const DeletedProviderSchema = z
  .object({ object: z.literal("provider"), id, deleted: z.literal(true) })
  .openapi("DeletedProvider");

export const ProviderIdParamsSchema = z.object({
  id: z.uuid("must be a valid provider id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-7b12-7e4f-9a6b-1c2d3e4f5a6b",
  }),
});
