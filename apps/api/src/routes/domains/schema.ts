import { domainToASCII } from "node:url";
import { z } from "@hono/zod-openapi";
import {
  DOMAIN_REGIONS,
  DOMAIN_STATUSES,
  DOMAIN_TLS_MODES,
  RECORD_STATUSES,
} from "../../db/schema/index.ts";
import { trimmedPattern } from "../../lib/text-schema.ts";

const id = z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" });
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/** LABEL as the spec states it: the value is trimmed and lowercased before it is checked. */
const LABEL_PATTERN = trimmedPattern("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

/** A registrable host name, stored lowercase and in ASCII (an IDN becomes its punycode). */
const DomainNameSchema = z
  .string()
  .trim()
  .max(253)
  .transform((value, ctx) => {
    const ascii = domainToASCII(value.toLowerCase().replace(/\.$/, ""));
    const labels = ascii.split(".");
    const valid =
      ascii !== "" &&
      labels.length >= 2 &&
      labels.every((label) => LABEL.test(label)) &&
      !/^\d+$/.test(labels.at(-1) ?? "");
    if (!valid)
      ctx.addIssue({ code: "custom", message: "must be a domain name, e.g. example.com" });
    return ascii;
  })
  .openapi({ example: "example.com" });

const trackingSubdomain = z
  .string()
  .max(63)
  .trim()
  .toLowerCase()
  .regex(LABEL, "must be a single DNS label (letters, digits, hyphens)")
  .openapi({
    pattern: LABEL_PATTERN,
    description: "Label of the tracking CNAME: `links` gives `links.example.com`.",
    example: "links",
  });

/** Resend's capabilities: sending is what this installation does; receiving is not offered. */
const Capabilities = z
  .strictObject({
    sending: z.literal("enabled").optional(),
    receiving: z.literal("disabled", "receiving email is not available on Thrive-Send").optional(),
  })
  .openapi("DomainCapabilities", {
    description:
      "Accepted for compatibility with Resend: sending is always enabled, receiving unavailable.",
    example: { sending: "enabled", receiving: "disabled" },
  });

const CapabilitiesView = z
  .object({ sending: z.literal("enabled"), receiving: z.literal("disabled") })
  .openapi({ example: { sending: "enabled", receiving: "disabled" } });

const tracking = (what: string) =>
  z
    .boolean()
    .openapi({ description: `Track ${what} of emails sent from this domain.`, example: true });

export const CreateDomainSchema = z
  .strictObject({
    name: DomainNameSchema,
    region: z.enum(DOMAIN_REGIONS).default("us-east-1").openapi({
      description: "Accepted for compatibility with Resend; mail leaves from this installation.",
      example: "us-east-1",
    }),
    custom_return_path: z
      .string()
      .max(63)
      .trim()
      .toLowerCase()
      .regex(LABEL, "must be a single DNS label (letters, digits, hyphens)")
      .default("send")
      .openapi({
        pattern: LABEL_PATTERN,
        description:
          "Subdomain label of the return path (envelope sender), where bounces come back: `send` gives `send.example.com`.",
        example: "send",
      }),
    tracking_subdomain: trackingSubdomain.default("links"),
    capabilities: Capabilities.optional(),
    // Absent: the organization's default (PATCH /organization), off unless changed there.
    open_tracking: tracking("opens").optional(),
    click_tracking: tracking("clicks").optional(),
    tls: z.enum(DOMAIN_TLS_MODES).default("opportunistic").openapi({
      description:
        "`opportunistic`: TLS when the receiving server offers it. `enforced`: never without TLS.",
      example: "opportunistic",
    }),
  })
  .openapi("CreateDomainRequest");

export const UpdateDomainSchema = z
  .strictObject({
    open_tracking: tracking("opens").optional(),
    click_tracking: tracking("clicks").optional(),
    tls: z.enum(DOMAIN_TLS_MODES).optional().openapi({ example: "enforced" }),
    tracking_subdomain: trackingSubdomain.optional(),
    capabilities: Capabilities.optional(),
  })
  .openapi("UpdateDomainRequest");

export const DomainRecordSchema = z
  .object({
    record: z.enum(["DKIM", "SPF", "DMARC", "Tracking"]).openapi({ example: "DKIM" }),
    name: z.string().openapi({
      description: "The record's name, relative to the domain.",
      example: "ts4f2a9c1b7e._domainkey",
    }),
    type: z.enum(["TXT", "MX", "CNAME"]).openapi({ example: "TXT" }),
    ttl: z.literal("Auto").openapi({ example: "Auto" }),
    status: z.enum(RECORD_STATUSES).openapi({ example: "verified" }),
    value: z
      .string()
      .openapi({ example: "v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA..." }),
    priority: z.number().int().optional().openapi({ example: 10 }),
  })
  .openapi("DomainRecord", {
    description:
      "A DNS record to publish. DKIM and both SPF records are required for verification; DMARC and Tracking are recommended.",
  });

const domainFields = {
  id,
  name: z.string().openapi({ example: "example.com" }),
  status: z.enum(DOMAIN_STATUSES).openapi({ example: "verified" }),
  created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  region: z.enum(DOMAIN_REGIONS).openapi({ example: "us-east-1" }),
  capabilities: CapabilitiesView,
};

const settings = {
  custom_return_path: z.string().openapi({ example: "send" }),
  tracking_subdomain: z.string().openapi({ example: "links" }),
  open_tracking: z.boolean().openapi({ example: false }),
  click_tracking: z.boolean().openapi({ example: false }),
  tls: z.enum(DOMAIN_TLS_MODES).openapi({ example: "opportunistic" }),
  records: z.array(DomainRecordSchema),
};

export const CreatedDomainSchema = z
  .object({ ...domainFields, ...settings })
  .openapi("CreatedDomain");

export const DomainSchema = z
  .object({ object: z.literal("domain"), ...domainFields, ...settings })
  .openapi("Domain");

export const DomainListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(z.object(domainFields).openapi("DomainListItem")),
    has_more: z.boolean(),
  })
  .openapi("DomainList");

export const DomainRefSchema = z.object({ object: z.literal("domain"), id }).openapi("DomainRef");

export const DeletedDomainSchema = z
  .object({ object: z.literal("domain"), id, deleted: z.literal(true) })
  .openapi("DeletedDomain");

export const DomainIdParamsSchema = z.object({
  id: z.uuid("must be a valid domain id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e",
  }),
});
