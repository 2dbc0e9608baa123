import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { getReputation } from "../../services/reputation/get-reputation.ts";
import { resumeSending } from "../../services/reputation/resume-sending.ts";
import { serviceContext } from "../service-context.ts";
import { ReputationSchema, ResumeSendingSchema } from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/reputation/resume",
  operationId: "resumeSending",
  tags: ["Reputation"],
  summary: "Resume paused sending",
  description:
    "Resumes a domain (`domain_id`) or the whole organization (no body) after a pause for its bounce or complaint rate. Emails held meanwhile go out. From then on, rates count only what is sent after the resume, so the window that caused the pause does not pause it again; a rate past its threshold once the minimum volume is sent again does. Resuming what is not paused changes nothing.",
  ...requires("reputation:write"),
  request: {
    body: { required: false, content: { "application/json": { schema: ResumeSendingSchema } } },
  },
  responses: {
    200: {
      description: "Resumed (or was not paused); the rates and pauses now.",
      content: { "application/json": { schema: ReputationSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error", "not_found"),
  },
});

export const registerReputationResume = (app: App) =>
  app.openapi(route, async (c) => {
    const { domain_id: domainId } = c.req.valid("json") ?? {};
    const ctx = serviceContext(c);
    const { config } = c.var.deps;
    await resumeSending({ ctx, config, domainId });
    return c.json(await getReputation({ ctx, settings: config.reputation, domainId }), 200);
  });
