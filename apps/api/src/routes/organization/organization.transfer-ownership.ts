import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { transferOwnership } from "../../services/members/transfer-ownership.ts";
import { memberActor } from "../identity-context.ts";
import { MemberSchema } from "../members/schema.ts";
import { TransferOwnershipSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/organization/transfer-ownership",
  operationId: "transferOwnership",
  tags: ["Organization"],
  summary: "Transfer the ownership",
  description:
    "Owners only: the member becomes an owner, and you an admin. Both sessions are rotated.",
  ...requires("organization:delete"),
  request: {
    body: { required: true, content: { "application/json": { schema: TransferOwnershipSchema } } },
  },
  responses: {
    200: {
      description: "The new owner.",
      content: { "application/json": { schema: MemberSchema } },
    },
    ...errorResponses(
      "restricted_api_key",
      "forbidden",
      "invalid_session",
      "invalid_csrf_token",
      "validation_error",
      "not_found",
    ),
  },
});

export const registerOrganizationTransferOwnership = (app: App) =>
  app.openapi(route, async (c) => {
    const member = await transferOwnership({
      ctx: memberActor(c),
      memberId: c.req.valid("json").member_id,
      now: c.var.deps.clock(),
    });
    return c.json(member, 200);
  });
