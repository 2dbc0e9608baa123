import type { App } from "../../lib/app-env.ts";
import { WEBHOOK_EVENT_TYPES } from "../../services/events/event-types.ts";
import { EVENT_DESCRIPTIONS, EVENT_PAYLOAD_SCHEMAS } from "./payload-schemas.ts";

/**
 * Publishes the event catalog in the spec's top-level `webhooks` (OpenAPI 3.1): one entry per
 * event type, the request our webhook deliveries make to an endpoint, with its payload schema
 * and an example. GET /events shows the same `data` for email events, and GET /events/stream
 * sends these payloads as they happen.
 */
export function registerWebhookCatalog(app: App): void {
  for (const type of WEBHOOK_EVENT_TYPES) {
    app.openAPIRegistry.registerWebhook({
      method: "post",
      path: type,
      operationId: `${type.replace(/[._](.)/g, (_, char: string) => char.toUpperCase())}Webhook`,
      tags: ["Webhook events"],
      summary: type,
      description: [
        EVENT_DESCRIPTIONS[type],
        "",
        "POSTed as JSON to each enabled webhook endpoint that subscribed to this type, signed with the endpoint's secret. GET /events/stream sends the same payload as `data:`.",
      ].join("\n"),
      request: {
        body: {
          required: true,
          content: { "application/json": { schema: EVENT_PAYLOAD_SCHEMAS[type] } },
        },
      },
      responses: {
        200: {
          description:
            "Any 2xx status acknowledges the event; any other answer, or none within the timeout, is retried with backoff.",
        },
      },
    });
  }
}
