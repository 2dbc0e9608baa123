import { and, asc, eq, notInArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { emailEvents, emails, events, webhookDeliveries } from "../../db/schema/index.ts";
import { newId } from "../../lib/ids.ts";
import { openApiDocument } from "../../lib/openapi-document.ts";
import { classifyReply } from "../../mail/smtp-reply.ts";
import { SYSTEM_ORIGIN } from "../../services/audit/record-audit.ts";
import { failedOutcome, planAttempt } from "../../services/emails/record-attempt.ts";
import { emailEventPayload, orgEventPayload } from "../../services/events/event-payload.ts";
import { WEBHOOK_EVENT_TYPES } from "../../services/events/event-types.ts";
import { applyFeedback } from "../../services/feedback/apply-feedback.ts";
import { pauseSending } from "../../services/reputation/pause-sending.ts";
import { resumeSending } from "../../services/reputation/resume-sending.ts";
import { writeDisablingAttempt } from "../../services/webhooks/record-attempts.ts";
import { startTestApi, type TestApi, type TestOrg } from "../../test/harness.ts";
import { EVENT_PAYLOAD_SCHEMAS } from "./payload-schemas.ts";

let api: TestApi;
let org: TestOrg;

beforeAll(async () => {
  api = await startTestApi();
  org = await api.createOrg("Catalog");
});
afterAll(() => api.close());

const reply = (text: string) => classifyReply(text);

/** Records one event of every type through the code that records them in production. */
async function recordEveryEventType(): Promise<void> {
  const db = api.database.db;
  const message = {
    from: "Acme <onboarding@acme.dev>",
    to: ["a@example.com", "b@example.com", "c@example.com"],
    subject: "Welcome to Acme",
    text: "Hello",
    tags: [{ name: "category", value: "welcome" }],
  };
  const sent = await api.call("POST", "/emails", { key: org.key, json: message });
  expect(sent.status).toBe(200);
  const later = new Date(Date.now() + 3600_000).toISOString();
  const scheduled = await api.call("POST", "/emails", {
    key: org.key,
    json: { ...message, scheduled_at: later },
  });
  expect(scheduled.status).toBe(200);

  const emailId: string = sent.body.id;
  const [email] = await db.select().from(emails).where(eq(emails.id, emailId));
  if (!email) throw new Error("no email row");
  const now = new Date();
  const outcomes = [
    // sent, delivered, bounced and suppressed, as the worker plans an attempt.
    planAttempt(
      email,
      "worker",
      {
        accepted: ["a@example.com"],
        bounced: [
          { recipient: "b@example.com", reply: reply("550 5.1.1 <b@example.com>: User unknown") },
        ],
        deferred: [],
        suppressed: ["c@example.com"],
        response: "250 2.0.0 Ok: queued as 4F2A",
        finalHop: true,
        attemptsLeft: true,
        attempt: 1,
      },
      now,
    ),
    planAttempt(
      email,
      "worker",
      {
        accepted: [],
        bounced: [],
        deferred: [{ recipient: "b@example.com", reply: reply("451 4.7.1 Greylisted") }],
        suppressed: [],
        response: null,
        finalHop: true,
        attemptsLeft: true,
        attempt: 2,
      },
      now,
    ),
    failedOutcome(email, "worker", "the attachment could not be fetched", now),
  ];
  await db.insert(emailEvents).values(outcomes.flatMap((outcome) => outcome.events));

  await applyFeedback(db, {
    emailId,
    recipient: "a@example.com",
    type: "complained",
    details: { feedback_type: "abuse", source: "arf" },
  });
  const userAgent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15";
  const open = api.deps.trackingTokens.open({ emailId, recipient: 0 });
  await api.call("GET", `/t/o/${open}`, { headers: { "user-agent": userAgent } });
  const click = api.deps.trackingTokens.click({
    emailId,
    recipient: 0,
    url: "https://acme.dev/welcome",
  });
  await api.call("GET", `/t/c/${click}`, { headers: { "user-agent": userAgent } });

  const domain = await api.call("POST", "/domains", { key: org.key, json: { name: "acme.dev" } });
  expect(domain.status).toBe(200);
  await api.call("PATCH", `/domains/${domain.body.id}`, {
    key: org.key,
    json: { click_tracking: true },
  });
  const counts = { sent: 600, bounced: 40, complained: 0 };
  const since = new Date(Date.now() - 86_400_000);
  for (const scope of ["domain", "organization"] as const) {
    const scopeId = scope === "domain" ? domain.body.id : org.orgId;
    await pauseSending(db, api.config, {
      scope: { scope, scopeId, orgId: org.orgId },
      reason: "bounce rate 6.7% exceeds 4%",
      counts,
      since,
      now: new Date(),
    });
  }
  const ctx = { db, orgId: org.orgId, senders: api.deps.senders, audit: SYSTEM_ORIGIN };
  await resumeSending({ ctx, config: api.config, domainId: domain.body.id });
  await resumeSending({ ctx, config: api.config });
  await api.call("DELETE", `/domains/${domain.body.id}`, { key: org.key });

  // webhook.disabled, as the delivery worker records it when an endpoint answers 410 Gone.
  const hook = await api.call("POST", "/webhooks", {
    key: org.key,
    json: { endpoint: "https://example.com/hook", events: ["domain.created"] },
  });
  expect(hook.status).toBe(200);
  const lease = new Date();
  const deliveryId = newId();
  await db.insert(webhookDeliveries).values({
    id: deliveryId,
    orgId: org.orgId,
    endpointId: hook.body.id,
    eventId: newId(),
    eventSource: "events",
    eventType: "domain.created",
    status: "attempting",
    nextAttemptAt: lease,
  });
  const disabled = await writeDisablingAttempt(db, {
    attemptId: newId(),
    deliveryId,
    orgId: org.orgId,
    endpointId: hook.body.id,
    lease,
    attemptedAt: new Date(),
    statusCode: 410,
    response: "gone",
    latencyMs: 3,
    success: false,
    status: "failed",
    nextAttemptAt: null,
    retryDelayMs: null,
    disable: { reason: "the endpoint answered 410 Gone" },
  });
  expect(disabled).toBe(true);
}

/** Every payload of the organization's events, built by event-payload.ts from their rows. */
async function payloads(): Promise<unknown[]> {
  const db = api.database.db;
  const emailRows = await db
    .select({ event: emailEvents, email: emails })
    .from(emailEvents)
    .innerJoin(emails, eq(emails.id, emailEvents.emailId))
    .where(
      and(eq(emailEvents.orgId, org.orgId), notInArray(emailEvents.type, ["queued", "canceled"])),
    )
    .orderBy(asc(emailEvents.id));
  const orgRows = await db
    .select()
    .from(events)
    .where(eq(events.orgId, org.orgId))
    .orderBy(asc(events.id));
  const built = [
    ...emailRows.map(({ event, email }) => emailEventPayload(event, email)),
    ...orgRows.map(orgEventPayload),
  ];
  // As a webhook or the stream sends it: JSON.
  return built.map((payload) => JSON.parse(JSON.stringify(payload)));
}

const schemaOf = (type: string) =>
  EVENT_PAYLOAD_SCHEMAS[type as keyof typeof EVENT_PAYLOAD_SCHEMAS];

describe("the event catalog", () => {
  it("describes exactly the payloads event-payload.ts builds from real rows, for every type", async () => {
    await recordEveryEventType();
    const all = (await payloads()) as { type: string }[];
    expect(new Set(all.map((payload) => payload.type))).toEqual(new Set(WEBHOOK_EVENT_TYPES));
    for (const payload of all) {
      const schema = schemaOf(payload.type);
      expect(schema, payload.type).toBeDefined();
      const parsed = schema.safeParse(payload);
      expect(parsed.error, `${payload.type}: ${JSON.stringify(payload)}`).toBeUndefined();
      // Nothing stripped: a field the schema does not name would be dropped by the parse.
      expect(parsed.data, payload.type).toEqual(payload);
    }
  });

  it("refuses a payload that drifted", () => {
    const bounced = schemaOf("email.bounced");
    const drifted = {
      type: "email.bounced",
      created_at: "2026-11-30T10:00:02.481Z",
      data: { email_id: "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47", bounce: { type: "Hard" } },
    };
    expect(bounced.safeParse(drifted).success).toBe(false);
    expect(schemaOf("email.sent").safeParse({ ...drifted, type: "email.sent" }).success).toBe(
      false,
    );
  });

  it("publishes every type in the spec's webhooks, with an example that fits its schema", () => {
    const spec = openApiDocument(api.app) as unknown as {
      webhooks: Record<string, { post: { requestBody: { content: Record<string, unknown> } } }>;
      components: { schemas: Record<string, { example?: unknown }> };
    };
    expect(Object.keys(spec.webhooks).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const type of WEBHOOK_EVENT_TYPES) {
      const content = spec.webhooks[type]?.post.requestBody.content["application/json"] as {
        schema: { $ref: string };
      };
      const name = content.schema.$ref.split("/").at(-1) as string;
      const example = spec.components.schemas[name]?.example as { type: string } | undefined;
      expect(example?.type, type).toBe(type);
      const parsed = schemaOf(type).safeParse(example);
      expect(parsed.error, type).toBeUndefined();
      expect(parsed.data, type).toEqual(example);
    }
  });
});
