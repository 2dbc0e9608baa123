import { createRoute } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { AppError } from "../../lib/errors.ts";
import { zodToAppError } from "../../lib/http-errors.ts";
import { idempotent } from "../../lib/idempotent-request.ts";
import { linksTo } from "../../lib/openapi-links.ts";
import { errorResponses, requires, SEND_ERRORS } from "../../lib/route.ts";
import { type BatchRejection, sendEmailBatch } from "../../services/emails/send-emails.ts";
import { serviceContext } from "../service-context.ts";
import {
  BatchHeadersSchema,
  BatchRequestSchema,
  BatchResponseSchema,
  type SendEmailInput,
  SendEmailSchema,
} from "./schema.ts";

export const route = createRoute({
  method: "post",
  path: "/emails/batch",
  operationId: "sendEmailBatch",
  tags: ["Emails"],
  summary: "Send up to 100 emails at once",
  description:
    "Accepts up to 100 emails in one transaction. In `strict` mode (default) an invalid email rejects the whole batch; in `permissive` mode the valid ones are sent and the others listed in `errors` by index.",
  ...requires("emails:send"),
  request: {
    headers: BatchHeadersSchema,
    body: { required: true, content: { "application/json": { schema: BatchRequestSchema } } },
  },
  responses: {
    200: {
      description: "The emails were accepted.",
      content: { "application/json": { schema: BatchResponseSchema } },
      links: linksTo(["getEmail", "updateEmail", "cancelEmail"], {
        id: "$response.body#/data/0/id",
      }),
    },
    ...errorResponses(...SEND_ERRORS),
  },
});

export const registerEmailsBatch = (app: App) =>
  app.openapi(route, async (c) => {
    const body = c.req.valid("json");
    const headers = c.req.valid("header");
    const mode = headers["x-batch-validation"] ?? "strict";

    const valid: { index: number; input: SendEmailInput }[] = [];
    const rejected: BatchRejection[] = [];
    const problems: AppError[] = [];
    body.forEach((element, index) => {
      const parsed = SendEmailSchema.safeParse(element);
      if (parsed.success) {
        valid.push({ index, input: parsed.data });
        return;
      }
      const error = zodToAppError(parsed.error, `${index}.`);
      problems.push(error);
      rejected.push({ index, message: error.message });
    });
    if (mode === "strict" && problems.length > 0) {
      throw new AppError(
        "validation_error",
        `${problems.length} of ${body.length} emails are invalid; the batch was not sent. First: ${problems[0]?.message}`,
        problems.flatMap((problem) => problem.details ?? []),
      );
    }

    const result = await idempotent(
      c,
      { operation: `POST /emails/batch ${mode}`, key: headers["idempotency-key"], request: body },
      (idempotencyKey) =>
        sendEmailBatch({
          ctx: serviceContext(c),
          inputs: valid,
          rejected: mode === "permissive" ? rejected : undefined,
          idempotencyKey,
        }),
    );
    if (result.replayed) c.header("Idempotent-Replayed", "true");
    return c.json(result.body, 200);
  });
