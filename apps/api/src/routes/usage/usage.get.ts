import { createRoute, z } from "@hono/zod-openapi";
import { PLANS } from "../../db/schema/index.ts";
import type { App } from "../../lib/app-env.ts";
import { errorResponses, requires } from "../../lib/route.ts";
import { daySinceEpoch } from "../../lib/time-bounds.ts";
import { getUsage } from "../../services/usage/get-usage.ts";
import { utcDayOf } from "../../services/usage/utc-periods.ts";

/** Longest range one request reads: a year and a day. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const day = (name: string, description: string) =>
  z.iso
    .date("must be a date, e.g. 2026-11-30")
    .optional()
    .openapi({ param: { name, in: "query" }, description, example: "2026-11-01" });

/** The range a query asks for, its defaults filled in. */
function rangeOf(query: { start?: string | undefined; end?: string | undefined }) {
  const to = query.end ?? utcDayOf(new Date());
  const from = query.start ?? utcDayOf(new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS));
  return { from, to };
}

/** The range rules read the days: they wait until both are valid dates (or absent). */
const whenDaysValid = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

export const UsageQuerySchema = z
  .object({
    start: day("start", "First UTC day (inclusive). Default: 29 days before `end`."),
    end: day("end", "Last UTC day (inclusive). Default: today."),
  })
  .refine((query) => rangeOf(query).from <= rangeOf(query).to, {
    message: "`start` must not be after `end`",
    path: ["start"],
    ...whenDaysValid,
  })
  .refine(
    (query) => {
      const range = rangeOf(query);
      return Date.parse(range.to) - Date.parse(range.from) < MAX_DAYS * DAY_MS;
    },
    { message: `at most ${MAX_DAYS} days at once`, path: ["start"], ...whenDaysValid },
  );

const count = (example: number) => z.number().int().openapi({ example });
const limit = z.number().int().nullable().openapi({
  description: "Emails allowed by the plan; null: no quota.",
  example: 3000,
});

export const UsageSchema = z
  .object({
    object: z.literal("usage"),
    from: z.string().openapi({ example: "2026-11-01" }),
    to: z.string().openapi({ example: "2026-11-30" }),
    plan: z.enum(PLANS).openapi({ example: "free" }),
    quotas: z
      .object({
        daily: z.object({ limit, used: count(42) }),
        monthly: z.object({ limit, used: count(1210) }),
      })
      .openapi({ description: "The plan's send quotas and what today and this month used." }),
    totals: z.object({ emails: count(1210), api_calls: count(1388), contacts: count(0) }),
    data: z.array(
      z
        .object({
          day: z.string().openapi({ example: "2026-11-30" }),
          emails: count(42).openapi({
            description: "Emails accepted (each counts once, whatever its recipients).",
          }),
          api_calls: count(57).openapi({ description: "Authenticated API requests." }),
          contacts: count(0).openapi({ description: "Contacts stored (none yet: always 0)." }),
        })
        .openapi("UsageDay"),
    ),
  })
  .openapi("Usage");

export const route = createRoute({
  method: "get",
  path: "/usage",
  operationId: "getUsage",
  tags: ["Usage"],
  summary: "Show usage per day",
  description:
    "The organization's emails accepted, API calls and contacts per UTC day (every day of the range, zeros included), its plan's daily and monthly send quotas and what they used. Counts arrive within seconds (each API process adds its own every 10 s by default).",
  ...requires("usage:read"),
  request: { query: UsageQuerySchema },
  responses: {
    200: { description: "The usage.", content: { "application/json": { schema: UsageSchema } } },
    ...errorResponses("restricted_api_key", "validation_error"),
  },
});

export const registerUsageGet = (app: App) =>
  app.openapi(route, async (c) => {
    const range = rangeOf(c.req.valid("query"));
    const [from, to] = [daySinceEpoch(range.from), daySinceEpoch(range.to)];
    const { deps, principal } = c.var;
    // This process's latest counts first, so that a client sees its own calls.
    await deps.usage.flush();
    const usage = await getUsage({
      ctx: { db: deps.database.db, orgId: principal.orgId, quota: deps.quota },
      from,
      to,
    });
    return c.json(usage, 200);
  });
