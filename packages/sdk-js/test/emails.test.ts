/** emails.* and batch.* against the live server: sends, scheduling, pagination, errors. */
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { eventually, live, liveClient, unique } from "./support/client.ts";
import { caughtMessage } from "./support/inbox.ts";

const thrive = liveClient();
const other = liveClient(live.otherApiKey);
const MISSING = "019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47";

describe("emails", () => {
  it("sends an email whose headers, tags and attachments arrive as given", async () => {
    const subject = unique("Welcome");
    const { data, error, headers } = await thrive.emails.send({
      from: "Acme <hello@acme.dev>",
      to: ["ada@example.com"],
      replyTo: "support@acme.dev",
      subject,
      html: "<p>Hello <b>Ada</b></p>",
      headers: { "X-Entity-Ref-ID": "ref-42" },
      tags: [{ name: "category", value: "welcome" }],
      attachments: [
        {
          filename: "notes.txt",
          content: new TextEncoder().encode("notes"),
          contentType: "text/plain",
        },
      ],
    });
    expect(error).toBeNull();
    expect(data?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers?.["content-type"]).toContain("application/json");

    const email = await thrive.emails.get(data?.id ?? "");
    expect(email.error).toBeNull();
    expect(email.data).toMatchObject({
      object: "email",
      id: data?.id,
      from: "Acme <hello@acme.dev>",
      to: ["ada@example.com"],
      reply_to: ["support@acme.dev"],
      subject,
      html: "<p>Hello <b>Ada</b></p>",
      tags: [{ name: "category", value: "welcome" }],
    });

    const message = await caughtMessage(subject);
    expect(message.headers["x-entity-ref-id"]).toBe("ref-42");
    expect(message.attachments).toMatchObject([{ filename: "notes.txt", size: 5 }]);
    const delivered = await eventually(async () => {
      const { data: now } = await thrive.emails.get(data?.id ?? "");
      return now?.last_event === "delivered" ? now : undefined;
    });
    expect(delivered.last_event).toBe("delivered");
  });

  it("renders `react` into html and text before sending", async () => {
    const subject = unique("React");
    const element = createElement(
      "div",
      null,
      createElement("h1", null, "Welcome aboard"),
      createElement("a", { href: "https://acme.dev/start" }, "Get started"),
    );
    const { data, error } = await thrive.emails.send({
      from: "hello@acme.dev",
      to: "grace@example.com",
      subject,
      react: element,
    });
    expect(error).toBeNull();
    const { data: email } = await thrive.emails.get(data?.id ?? "");
    expect(email?.html).toContain("<h1>Welcome aboard</h1>");
    expect(email?.text).toContain("WELCOME ABOARD");
    expect(email?.text).toContain("Get started");

    // A given text is kept; only html comes from the element.
    const withText = await thrive.emails.send({
      from: "hello@acme.dev",
      to: "grace@example.com",
      subject: unique("React text"),
      react: element,
      text: "Plain words",
    });
    const { data: kept } = await thrive.emails.get(withText.data?.id ?? "");
    expect(kept?.text).toBe("Plain words");
    expect(kept?.html).toContain("Welcome aboard");
  });

  it("answers the first response again for a repeated Idempotency-Key", async () => {
    const email = {
      from: "hello@acme.dev",
      to: "a@example.com",
      subject: unique("Once"),
      text: "x",
    };
    const idempotencyKey = unique("key");
    const first = await thrive.emails.send(email, { idempotencyKey });
    const again = await thrive.emails.send(email, { idempotencyKey });
    expect(again.data?.id).toBe(first.data?.id);
    expect(again.headers?.["idempotent-replayed"]).toBe("true");
    const changed = await thrive.emails.send({ ...email, text: "y" }, { idempotencyKey });
    expect(changed.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
  });

  it("schedules, reschedules and cancels an email", async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    const { data } = await thrive.emails.send({
      from: "hello@acme.dev",
      to: "b@example.com",
      subject: unique("Later"),
      text: "later",
      scheduledAt: inAnHour,
    });
    const id = data?.id ?? "";
    const scheduled = await thrive.emails.get(id);
    expect(scheduled.data?.last_event).toBe("scheduled");
    expect(new Date(scheduled.data?.scheduled_at ?? 0).getTime()).toBe(inAnHour.getTime());

    const inTwoHours = new Date(Date.now() + 7_200_000).toISOString();
    const updated = await thrive.emails.update({ id, scheduledAt: inTwoHours });
    expect(updated).toMatchObject({ data: { object: "email", id }, error: null });
    const moved = await thrive.emails.get(id);
    expect(new Date(moved.data?.scheduled_at ?? 0).toISOString()).toBe(inTwoHours);

    const canceled = await thrive.emails.cancel(id);
    expect(canceled).toMatchObject({ data: { object: "email", id }, error: null });
    expect((await thrive.emails.get(id)).data?.last_event).toBe("canceled");

    const twice = await thrive.emails.cancel(id);
    expect(twice).toMatchObject({ data: null, error: { statusCode: 409, name: "invalid_state" } });
    const late = await thrive.emails.update({ id, scheduledAt: inTwoHours });
    expect(late.error?.name).toBe("invalid_state");
  });

  it("lists emails a page at a time, and iterates over every page", async () => {
    // In the other organization, where no other test sends: the walk sees only these five.
    const subject = unique("Paged");
    for (let i = 0; i < 5; i++) {
      await other.emails.send({
        from: "hello@acme.dev",
        to: "p@example.com",
        subject,
        text: `${i}`,
      });
    }
    const first = await other.emails.list({ limit: 2 });
    expect(first.error).toBeNull();
    expect(first.data).toMatchObject({ object: "list", has_more: true });
    expect(first.data?.data).toHaveLength(2);

    const seen: string[] = [];
    for await (const email of other.emails.list({ limit: 2 })) seen.push(email.id);
    expect(seen).toHaveLength(5);
    expect(seen.slice(0, 2)).toEqual(first.data?.data.map((email) => email.id));
    expect([...seen].sort().reverse()).toEqual(seen); // newest first, across pages

    const pages: number[] = [];
    for await (const page of other.emails.list({ limit: 2 }).pages()) pages.push(page.data.length);
    expect(pages).toEqual([2, 2, 1]);

    // Leaving early stops fetching.
    const firstThree: string[] = [];
    for await (const email of other.emails.list({ limit: 2 })) {
      firstThree.push(email.id);
      if (firstThree.length === 3) break;
    }
    expect(firstThree).toEqual(seen.slice(0, 3));

    // Upwards from the oldest with `before`: pages of the nearest newer ones first.
    const upwards: string[] = [];
    for await (const email of other.emails.list({ limit: 2, before: seen[4] }))
      upwards.push(email.id);
    expect(upwards).toEqual([seen[2], seen[3], seen[0], seen[1]]);
  });

  it("answers errors as data: not found, another organization's email, validation", async () => {
    const missing = await thrive.emails.get(MISSING);
    expect(missing).toMatchObject({
      data: null,
      error: { statusCode: 404, name: "not_found" },
    });
    expect(missing.error?.request_id).toBeTruthy();

    const { data } = await thrive.emails.send({
      from: "hello@acme.dev",
      to: "c@example.com",
      subject: unique("Mine"),
      text: "mine",
    });
    expect((await other.emails.get(data?.id ?? "")).error?.name).toBe("not_found");
    expect((await other.emails.cancel(data?.id ?? "")).error?.name).toBe("not_found");

    const invalid = await thrive.emails.send({
      from: "not an address",
      to: "c@example.com",
      subject: "x",
      text: "x",
    });
    expect(invalid.error).toMatchObject({ statusCode: 422, name: "validation_error" });
    expect(invalid.error?.details?.length).toBeGreaterThan(0);

    const iterate = async () => {
      for await (const _ of liveClient("ts_not_a_key").emails.list()) break;
    };
    await expect(iterate()).rejects.toMatchObject({
      name: "ThriveSendError",
      statusCode: 403,
      error: { name: "invalid_api_key" },
    });
  });
});

describe("batch", () => {
  it("sends a batch, strict and permissive", async () => {
    const subject = unique("Batch");
    const { data, error } = await thrive.batch.send([
      { from: "hello@acme.dev", to: "d1@example.com", subject, text: "one" },
      {
        from: "hello@acme.dev",
        to: "d2@example.com",
        subject,
        html: "<p>two</p>",
        tags: [{ name: "n", value: "v" }],
      },
    ]);
    expect(error).toBeNull();
    expect(data?.data).toHaveLength(2);
    const second = await thrive.emails.get(data?.data[1]?.id ?? "");
    expect(second.data).toMatchObject({
      to: ["d2@example.com"],
      tags: [{ name: "n", value: "v" }],
    });

    const bad = { from: "hello@acme.dev", to: "not an address", subject, text: "bad" };
    const strict = await thrive.batch.send([
      bad,
      { from: "hello@acme.dev", to: "d3@example.com", subject, text: "ok" },
    ]);
    expect(strict.error).toMatchObject({ statusCode: 422, name: "validation_error" });

    const permissive = await thrive.batch.send(
      [bad, { from: "hello@acme.dev", to: "d3@example.com", subject, text: "ok" }],
      { batchValidation: "permissive" },
    );
    expect(permissive.error).toBeNull();
    expect(permissive.data?.data).toHaveLength(1);
    expect(permissive.data?.errors).toMatchObject([{ index: 0 }]);
  });

  it("replays a batch for its Idempotency-Key", async () => {
    const emails = [
      { from: "hello@acme.dev", to: "e@example.com", subject: unique("B"), text: "x" },
    ];
    const idempotencyKey = unique("batch");
    const first = await thrive.batch.send(emails, { idempotencyKey });
    const again = await thrive.batch.send(emails, { idempotencyKey });
    expect(again.data).toEqual(first.data);
  });
});
