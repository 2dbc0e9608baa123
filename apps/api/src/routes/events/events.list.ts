import { createRoute, type z } from "@hono/zod-openapi";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { listEvents } from "../../services/events/list-events.ts";
import { serviceContext } from "../service-context.ts";
import { EventListSchema, eventFilter, ListEventsQuerySchema } from "./schema.ts";

export const route = createRoute({
  method: "get",
  path: "/events",
  operationId: "listEvents",
  tags: ["Events"],
  summary: "List email events",
  description: [
    "The organization's email events across all its emails, newest first, with cursor pagination (by event id).",
    "Each has its webhook payload's `type`, `created_at` and `data` (see the `webhooks` section).",
    "Narrow them by `type` (one or several), `email_id`, `tag`, `domain_id` and a time range.",
  ].join(" "),
  ...requires("events:read"),
  request: { query: ListEventsQuerySchema },
  responses: {
    200: {
      description: "A page of events.",
      content: { "application/json": { schema: EventListSchema } },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerEventsList = (app: App) =>
  app.openapi(route, async (c) => {
    const { limit, after, before, ...filters } = c.req.valid("query");
    const page = await listEvents({
      ctx: serviceContext(c),
      filter: eventFilter(filters),
      page: { limit, after, before },
    });
    // event-payload.ts types `data` loosely; payload-schemas.test.ts checks it has this shape.
    return c.json(page as z.infer<typeof EventListSchema>, 200);
  });
