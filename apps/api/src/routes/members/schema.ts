import { z } from "@hono/zod-openapi";
import { BUILT_IN_ROLES } from "../../lib/roles.ts";

const id = z.uuid().openapi({ example: "019a7c2e-8c23-7f4d-8e5a-6b7c8d9e0f1a" });

export const RoleNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .openapi({
    description: `A built-in role (${BUILT_IN_ROLES.join(", ")}) or the name of a custom role of the organization (GET /roles lists them all, with their permissions). owner: everything; admin: everything but deleting the organization and handing it over; developer: the API's objects (emails, keys, domains, webhooks...); analyst: reads only; billing: the organization and its members, read-only.`,
    example: "developer",
  });

export const MemberSchema = z
  .object({
    object: z.literal("member"),
    id,
    user_id: z.uuid().openapi({ example: "019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e" }),
    email: z.string().openapi({ example: "grace@acme.dev" }),
    name: z.string().nullable().openapi({ example: "Grace Hopper" }),
    role: z.string().openapi({ example: "developer" }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  })
  .openapi("Member");

export const MemberListSchema = z
  .object({ object: z.literal("list"), data: z.array(MemberSchema), has_more: z.boolean() })
  .openapi("MemberList");

export const UpdateMemberSchema = z
  .strictObject({ role: RoleNameSchema })
  .openapi("UpdateMemberRequest");

export const DeletedMemberSchema = z
  .object({ object: z.literal("member"), id, deleted: z.literal(true) })
  .openapi("DeletedMember");

export const MemberIdParamsSchema = z.object({
  id: z.uuid("must be a member id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-8c23-7f4d-8e5a-6b7c8d9e0f1a",
  }),
});
