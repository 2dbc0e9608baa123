import { z } from "@hono/zod-openapi";
import { nameText } from "../../lib/text-schema.ts";
import { EmailSchema, PasswordSchema, TokenSchema } from "../auth/schema.ts";
import { RoleNameSchema } from "../members/schema.ts";

const id = z.uuid().openapi({ example: "019a7c2e-9d34-7a5e-8f6b-7c8d9e0f1a2b" });

export const CreateInvitationSchema = z
  .strictObject({ email: EmailSchema, role: RoleNameSchema })
  .openapi("CreateInvitationRequest");

export const InvitationSchema = z
  .object({
    object: z.literal("invitation"),
    id,
    email: z.string().openapi({ example: "grace@acme.dev" }),
    role: z.string().openapi({ example: "developer" }),
    status: z.enum(["pending", "accepted", "revoked", "expired"]).openapi({ example: "pending" }),
    expires_at: z.string().openapi({ example: "2026-12-02T12:00:00.000Z" }),
    created_at: z.string().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  })
  .openapi("Invitation");

export const InvitationListSchema = z
  .object({ object: z.literal("list"), data: z.array(InvitationSchema), has_more: z.boolean() })
  .openapi("InvitationList");

export const DeletedInvitationSchema = z
  .object({ object: z.literal("invitation"), id, deleted: z.literal(true) })
  .openapi("DeletedInvitation");

export const AcceptInvitationSchema = z
  .strictObject({
    token: TokenSchema,
    name: nameText(200).optional().openapi({ example: "Grace Hopper" }),
    password: PasswordSchema.optional().openapi({
      description: "Without a session: the password of the account to create.",
    }),
  })
  .openapi("AcceptInvitationRequest");

export const InvitationIdParamsSchema = z.object({
  id: z.uuid("must be an invitation id (a UUID)").openapi({
    param: { name: "id", in: "path" },
    example: "019a7c2e-9d34-7a5e-8f6b-7c8d9e0f1a2b",
  }),
});
