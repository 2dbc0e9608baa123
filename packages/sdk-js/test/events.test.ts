/** events.list, events.export and events.stream against the live server. */
import { describe, expect, it } from "vitest";
import type { StreamedEvent } from "../src/index.ts";
import { eventually, live, liveClient, unique } from "./support/client.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);

/** Sends an email and waits until its `email.delivered` event is recorded. */
async function deliveredEmail(): Promise<string> {
  const { data } = await thrive.emails.send({
    from: "events@acme.dev",
    to: "e@example.com",
    subject: unique("Events"),
    text: "events",
    tags: [{ name: "suite", value: "events" }],
  });
  const id = data?.id ?? "";
  await eventually(async () => {
    const { data: events } = await thrive.events.list({ emailId: id, type: "email.delivered" });
    return events?.data.length ? true : undefined;
  });
  return id;
}

describe("events.list", () => {
  it("lists an email's events with filters, a page at a time or all at once", async () => {
    const emailId = await deliveredEmail();
    const { data, error } = await thrive.events.list({ emailId, limit: 1 });
    expect(error).toBeNull();
    expect(data?.has_more).toBe(true);
    expect(data?.data[0]).toMatchObject({
      object: "event",
      email_id: emailId,
      type: "email.delivered",
    });

    const all = [];
    for await (const event of thrive.events.list({ emailId, limit: 1 })) all.push(event);
    expect(all.map((event) => event.type)).toEqual(["email.delivered", "email.sent"]);
    expect(all[1]?.data).toMatchObject({ email_id: emailId, tags: { suite: "events" } });

    const sent = await thrive.events.list({
      emailId,
      type: ["email.sent", "email.bounced"],
      tag: "suite:events",
      createdAfter: new Date(Date.now() - 60_000),
      createdBefore: new Date(Date.now() + 60_000),
    });
    expect(sent.data?.data.map((event) => event.type)).toEqual(["email.sent"]);
    expect((await other.events.list({ emailId })).data?.data).toEqual([]);
  });

  it("answers errors as data", async () => {
    const invalid = await thrive.events.list({ emailId: "not-a-uuid" });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
  });
});

describe("events.export", () => {
  it("streams an email's events as NDJSON records, oldest first, and as CSV", async () => {
    const emailId = await deliveredEmail();
    const { data, error, headers } = await thrive.events.export({ emailId });
    expect(error).toBeNull();
    expect(headers?.["content-type"]).toContain("application/x-ndjson");
    const records = [];
    for await (const record of data ?? []) records.push(record);
    expect(records.map((record) => record.type)).toEqual(["email.sent", "email.delivered"]);
    expect(records[0]).toMatchObject({ object: "event", email_id: emailId });

    const csv = await thrive.events.export({ emailId, format: "csv" });
    const text = await csv.data?.text();
    // RFC 4180: CRLF after each row.
    const [header, ...rows] = (text ?? "").trim().split("\r\n");
    expect(header).toBe(
      "id,type,created_at,email_id,message_id,from,to,subject,tags,recipients,details",
    );
    expect(rows).toHaveLength(2);

    const lines: string[] = [];
    const again = await thrive.events.export({ emailId, format: "csv" });
    for await (const line of again.data ?? []) lines.push(line);
    expect(lines).toHaveLength(3);
  });

  it("answers errors as data", async () => {
    const invalid = await thrive.events.export({ createdAfter: "yesterday" });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(invalid.data).toBeNull();
  });
});

describe("events.stream", () => {
  /** Reads the stream until `done` says so, then closes it. */
  async function collect(
    stream: AsyncIterable<StreamedEvent> | null,
    done: (events: StreamedEvent[]) => boolean,
  ): Promise<StreamedEvent[]> {
    if (!stream) throw new Error("no stream");
    const events: StreamedEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (done(events)) break;
    }
    return events;
  }
  const about = (emailId: string) => (event: StreamedEvent) =>
    (event.payload.data as { email_id?: string }).email_id === emailId;

  it("delivers events as they happen, and resumes after the last one seen", async () => {
    const { data: stream, error, headers } = await thrive.events.stream();
    expect(error).toBeNull();
    expect(headers?.["content-type"]).toContain("text/event-stream");
    const emailId = await deliveredEmail();
    const seen = await collect(stream, (events) => events.filter(about(emailId)).length === 2);
    const mine = seen.filter(about(emailId));
    expect(mine.map((event) => event.type)).toEqual(["email.sent", "email.delivered"]);
    expect(mine[0]?.payload).toMatchObject({ type: "email.sent", data: { email_id: emailId } });
    expect(stream?.lastEventId).toBe(seen.at(-1)?.id);

    // A new stream from the `email.sent` event gets what followed it, `email.delivered` first.
    const sentId = mine[0]?.id;
    const resumed = await thrive.events.stream({ lastEventId: sentId });
    const next = await collect(resumed.data, (events) => events.some(about(emailId)));
    expect(next.find(about(emailId))?.type).toBe("email.delivered");
    const viaAfter = await thrive.events.stream({ after: sentId });
    const again = await collect(viaAfter.data, (events) => events.some(about(emailId)));
    expect(again.find(about(emailId))?.id).toBe(mine[1]?.id);
  });

  it("ends on close()", async () => {
    const { data: stream } = await thrive.events.stream();
    setTimeout(() => stream?.close(), 200);
    const started = Date.now();
    for await (const _ of stream ?? []) {
      // whatever other tests record meanwhile
    }
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("answers errors as data", async () => {
    const refused = await liveClient("ts_not_a_key").events.stream();
    expect(refused).toMatchObject({
      data: null,
      error: { statusCode: 403, name: "invalid_api_key" },
    });
    const invalid = await thrive.events.stream({ after: "not-an-id" });
    expect(invalid.error?.name).toBe("validation_error");
  });
});
