import { z } from "@hono/zod-openapi";
import { CUSTOM_ROLE_PERMISSIONS, PERMISSIONS, type Permission } from "../../lib/permissions.ts";
import { BUILT_IN_ROLES, isBuiltInRole } from "../../lib/roles.ts";
import { isUuid } from "../../services/roles/role-definitions.ts";

const permission = z.enum(CUSTOM_ROLE_PERMISSIONS as [Permission, ...Permission[]], {
  message: "must be a permission of the catalog (organization:delete stays the owners')",
});

const permissions = z
  .array(permission)
  .max(PERMISSIONS.length)
  .transform((list) => [...new Set(list)])
  .openapi({
    description:
      "Its own permissions, on top of the role it extends: any of the catalog's (each operation names its own in `x-permission`) but `organization:delete`, which stays the owners'. Never one the caller lacks.",
    example: ["emails:read", "events:read", "suppressions:write"],
  });

const name = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_-]*$/, "must be lowercase letters, digits, - and _, starting with a letter")
  .refine((value) => !isBuiltInRole(value), "is a built-in role's name")
  .refine((value) => !isUuid(value), "must not look like an id")
  .openapi({
    description:
      "What members' `role` names it by: unique in the organization, not a built-in role's.",
    example: "support",
  });

const description = z.string().trim().max(500).openapi({
  description: "What the role is for, for people.",
  example: "Reads emails and events, and manages suppressions for customers.",
});

const extendsRole = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .openapi({
    description: `A role whose permissions this one has too: a built-in role but owner (${BUILT_IN_ROLES.filter((role) => role !== "owner").join(", ")}), or a custom role of the organization by id or name. Inheritance is transitive; a cycle is refused.`,
    example: "analyst",
  });

export const CreateRoleSchema = z
  .strictObject({
    name,
    description: description.optional(),
    permissions: permissions.default([]),
    extends: extendsRole.optional(),
  })
  .openapi("CreateRoleRequest");

export const UpdateRoleSchema = z
  .strictObject({
    name: name.optional(),
    description: description.nullable().optional(),
    permissions: permissions.optional(),
    extends: extendsRole.nullable().optional().openapi({
      description: "A role to extend instead, or null to extend none.",
      example: "developer",
    }),
  })
  .refine((input) => Object.keys(input).length > 0, { message: "give at least one field" })
  .openapi("UpdateRoleRequest");

export const RoleSchema = z
  .object({
    object: z.literal("role"),
    id: z.string().openapi({
      description: "A custom role's id; a built-in role's id is its name.",
      example: "019a7c2e-ab12-7c3d-8e4f-5a6b7c8d9e0f",
    }),
    name: z.string().openapi({ example: "support" }),
    description: z.string().nullable().openapi({
      example: "Reads emails and events, and manages suppressions for customers.",
    }),
    built_in: z.boolean().openapi({
      description: "A built-in role: it cannot be changed or deleted.",
      example: false,
    }),
    extends: z.string().nullable().openapi({
      description: "The name of the role it extends, if any.",
      example: "analyst",
    }),
    permissions: z.array(z.enum(PERMISSIONS)).openapi({
      description: "Its own permissions.",
      example: ["suppressions:write"],
    }),
    resolved_permissions: z.array(z.enum(PERMISSIONS)).openapi({
      description:
        "Everything its members may do: its own permissions and, transitively, those of the role it extends.",
      example: ["emails:read", "events:read", "suppressions:read", "suppressions:write"],
    }),
    created_at: z.string().nullable().openapi({
      description: "null for a built-in role.",
      example: "2026-11-25T12:00:00.000Z",
    }),
    updated_at: z.string().nullable().openapi({ example: "2026-11-25T12:00:00.000Z" }),
  })
  .openapi("Role");

export const RoleListSchema = z
  .object({
    object: z.literal("list"),
    data: z.array(RoleSchema),
    has_more: z.literal(false).openapi({
      description:
        "Always false: every role is listed (an organization has at most 100 of its own).",
    }),
  })
  .openapi("RoleList");

export const DeletedRoleSchema = z
  .object({
    object: z.literal("role"),
    id: z.uuid().openapi({ example: "019a7c2e-ab12-7c3d-8e4f-5a6b7c8d9e0f" }),
    deleted: z.literal(true),
  })
  .openapi("DeletedRole");

export const RoleIdParamsSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(50)
    .openapi({
      param: { name: "id", in: "path" },
      description: "A custom role's id or name, or a built-in role's name.",
      example: "019a7c2e-ab12-7c3d-8e4f-5a6b7c8d9e0f",
    }),
});
