import { createRoute } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { EventFeed } from "../../services/events/event-feed.ts";
import {
  StreamEventsHeadersSchema,
  StreamEventsQuerySchema,
  StreamedEventSchema,
} from "./schema.ts";
import { relayEvents } from "./sse-relay.ts";

export const route = createRoute({
  method: "get",
  path: "/events/stream",
  operationId: "streamEvents",
  tags: ["Events"],
  summary: "Stream events as they happen",
  description: [
    "Server-Sent Events: the organization's email and organization events (every type of the `webhooks` section) as they are recorded, usually within a few milliseconds.",
    "Each event is `id: <event id>`, `event: <type>` and `data: <the webhook payload, {type, created_at, data}>`.",
    "A reconnecting EventSource sends `Last-Event-ID` and gets what was recorded meanwhile first; `?after=<event id>` does the same for a first connection.",
    "Without either, the stream starts with what is recorded from then on: its first line, `retry: 1000`, comes once it is live. A comment line (`: keep-alive`) comes every 15 seconds while nothing happens.",
    "Events arrive in id order, except one committed after another with a larger id (concurrent writers): it is sent when it becomes visible, followed by a bare `id:` line that puts the client's last event id back to the highest one received.",
  ].join(" "),
  ...requires("events:read"),
  request: { query: StreamEventsQuerySchema, headers: StreamEventsHeadersSchema },
  responses: {
    200: {
      description: "An endless `text/event-stream`.",
      content: {
        "text/event-stream": {
          schema: StreamedEventSchema,
          example:
            'retry: 1000\n\nid: 019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c\nevent: email.delivered\ndata: {"type":"email.delivered","created_at":"2026-11-30T10:00:02.481Z","data":{...}}\n\n: keep-alive\n\n',
        },
      },
    },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerEventsStream = (app: App) =>
  app.openapi(route, (c) => {
    const { after } = c.req.valid("query");
    const lastEventId = c.req.valid("header")["last-event-id"];
    const { deps, principal } = c.var;
    const notifications = deps.eventNotifications;
    const feed = new EventFeed({
      db: deps.database.db,
      orgId: principal.orgId,
      after: lastEventId || after,
      overlapMs: notifications.settings.overlapMs,
    });
    // Proxies such as nginx would otherwise buffer the stream.
    c.header("X-Accel-Buffering", "no");
    return streamSSE(c, (stream) =>
      relayEvents({
        stream,
        feed,
        notifications,
        orgId: principal.orgId,
        logger: deps.logger,
        incoming: c.env?.incoming,
      }),
    );
  });
