import { z } from "@hono/zod-openapi";
import { sinceEpoch } from "../../lib/time-bounds.ts";
import { EMAIL_WEBHOOK_EVENT_TYPES } from "../../services/events/event-types.ts";
import { paginationQuery } from "../pagination-schema.ts";
import { EmailEventDataSchema } from "./payload-schemas.ts";

const EVENT_ID = "019ad4c2-8f31-7a02-b6c4-1d2e3f4a5b6c";

/** `?type=a&type=b` or `?type=a,b`: the query validator gives a string for one, an array for more. */
const typesParam = z
  .preprocess(
    (value) =>
      value === undefined
        ? undefined
        : (Array.isArray(value) ? value : [value])
            .flatMap((entry) => String(entry).split(","))
            .map((entry) => entry.trim())
            .filter((entry) => entry !== ""),
    z.array(z.enum(EMAIL_WEBHOOK_EVENT_TYPES)).max(EMAIL_WEBHOOK_EVENT_TYPES.length).optional(),
  )
  .openapi({
    param: { name: "type", in: "query", style: "form", explode: true },
    description:
      "Only events of these types: repeat the parameter or separate types with commas (`type=email.bounced,email.complained`).",
    example: ["email.bounced", "email.complained"],
  });

const dateTime = (name: string, description: string) =>
  z.iso
    .datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2026-11-30T10:00:00Z" })
    .transform((value) => new Date(value))
    .optional()
    .openapi({
      param: { name, in: "query" },
      description,
      example: name === "created_after" ? "2026-11-30T00:00:00Z" : "2026-12-01T00:00:00Z",
    });

const TAG_PART = "[A-Za-z0-9_-]+";

const filterFields = {
  type: typesParam,
  email_id: z
    .uuid("must be an email id (a UUID)")
    .optional()
    .openapi({
      param: { name: "email_id", in: "query" },
      description: "Only the events of this email.",
      example: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47",
    }),
  tag: z
    .string()
    .max(300)
    .regex(new RegExp(`^${TAG_PART}:${TAG_PART}$`), "must be `name:value`, e.g. category:welcome")
    .transform((value) => {
      const [name = "", tagValue = ""] = value.split(":");
      return { name, value: tagValue };
    })
    .optional()
    .openapi({
      param: { name: "tag", in: "query" },
      description: "Only the events of emails sent with this tag, as `name:value`.",
      example: "category:welcome",
    }),
  domain_id: z
    .uuid("must be a domain id (a UUID)")
    .optional()
    .openapi({
      param: { name: "domain_id", in: "query" },
      description: "Only the events of emails sent from this domain.",
      example: "019ad4a0-1c2d-7e3f-8a4b-5c6d7e8f9a0b",
    }),
  created_after: dateTime("created_after", "Only events recorded at or after this time."),
  created_before: dateTime("created_before", "Only events recorded before this time."),
};

type Range = { created_after?: Date | undefined; created_before?: Date | undefined };
const ordered = (query: Range) =>
  !(query.created_after && query.created_before && query.created_after >= query.created_before);
const ORDERED = {
  message: "`created_after` must be before `created_before`",
  path: ["created_before"],
};

export const ListEventsQuerySchema = paginationQuery(filterFields).refine(ordered, ORDERED);

export const ExportEventsQuerySchema = z
  .object({
    format: z
      .enum(["ndjson", "csv"])
      .default("ndjson")
      .openapi({
        param: { name: "format", in: "query" },
        description:
          "`ndjson`: one event per line, as GET /events shows it. `csv`: a header row, then one row per event.",
        example: "csv",
      }),
    ...filterFields,
  })
  .refine(ordered, ORDERED);

/** The filters as the services take them. */
export function eventFilter(
  query: Pick<
    z.infer<typeof ExportEventsQuerySchema>,
    "type" | "email_id" | "tag" | "domain_id" | "created_after" | "created_before"
  >,
) {
  return {
    types: query.type,
    emailId: query.email_id,
    tag: query.tag,
    domainId: query.domain_id,
    createdAfter: sinceEpoch(query.created_after),
    createdBefore: sinceEpoch(query.created_before),
  };
}

export const EventSchema = z
  .object({
    object: z.literal("event"),
    id: z.uuid().openapi({
      description: "The event's id (time-ordered: ids sort by creation).",
      example: EVENT_ID,
    }),
    type: z.enum(EMAIL_WEBHOOK_EVENT_TYPES).openapi({ example: "email.bounced" }),
    created_at: z.string().openapi({ format: "date-time", example: "2026-11-30T10:00:02.481Z" }),
    email_id: z.uuid().openapi({ example: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47" }),
    data: EmailEventDataSchema,
  })
  .openapi("Event", {
    description: "An email event: its webhook payload's `type`, `created_at` and `data`, with ids.",
  });

/** One event of GET /events/stream, as an EventSource hands it over (each `schema` of an SSE response describes one event). */
export const StreamedEventSchema = z
  .object({
    id: z.uuid().optional().openapi({
      description: "The event's id: the `Last-Event-ID` a reconnecting client sends.",
      example: EVENT_ID,
    }),
    event: z.string().openapi({
      description: "The event's type, as in the `webhooks` section.",
      example: "email.delivered",
    }),
    data: z.string().openapi({
      description: "The event's webhook payload, `{type, created_at, data}`, as JSON on one line.",
      example:
        '{"type":"email.delivered","created_at":"2026-11-30T10:00:02.481Z","data":{"email_id":"019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47"}}',
    }),
  })
  .openapi("StreamedEvent", {
    description:
      "One event of the stream: its `id:`, `event:` and `data:` lines. The `retry:` line, comments (`: keep-alive`) and a bare `id:` line carry no event.",
  });

export const EventListSchema = z
  .object({ object: z.literal("list"), data: z.array(EventSchema), has_more: z.boolean() })
  .openapi("EventList");

const eventId = (description: string) =>
  z.uuid("must be an event id (a UUID)").optional().openapi({ description, example: EVENT_ID });

export const StreamEventsQuerySchema = z.object({
  after: eventId(
    "Resume after this event: the events recorded after it are sent first. `Last-Event-ID` wins when both are given.",
  ).openapi({ param: { name: "after", in: "query" } }),
});

export const StreamEventsHeadersSchema = z.object({
  // An empty Last-Event-ID means no position, as for EventSource (which then sends none): the
  // spec says so too, where a preprocess would hide it.
  "last-event-id": z
    .union([z.uuid("must be an event id (a UUID)"), z.literal("")])
    .optional()
    .openapi({
      param: { name: "last-event-id", in: "header" },
      description:
        "Sent by EventSource clients when they reconnect: resume after this event. Empty: no position.",
    }),
});
