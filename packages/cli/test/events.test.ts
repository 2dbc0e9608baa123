/** events tail: the live stream, one line per event or NDJSON, filters, and a clean Ctrl-C. */
import { describe, expect, it } from "vitest";
import { live, newHome, Running, sendEmail, unique } from "./support/thrive.ts";

const home = newHome();
const env = { ...home.env, THRIVE_API_KEY: live.apiKey, THRIVE_BASE_URL: live.url };

/** Once it says so, the stream is live: whatever is recorded from then on comes through. */
function ready(tail: Running): Promise<string> {
  return tail.until(
    () => tail.stderr.find((line) => line.includes("Waiting for events")),
    "ready line",
  );
}

describe("thrive events tail", () => {
  it("prints, as NDJSON, the events recorded after it started", async () => {
    const tail = new Running(["events", "tail", "--json"], { env });
    try {
      await ready(tail);
      const subject = unique("Tail");
      const emailId = await sendEmail(live.apiKey, {
        from: "tail@acme.dev",
        to: ["tail@example.com"],
        subject,
        text: "x",
      });
      const events = await tail.until(() => {
        const mine = tail.stdout
          .map((line) => JSON.parse(line))
          .filter((event) => event.data?.email_id === emailId);
        return mine.some((event) => event.type === "email.delivered") ? mine : undefined;
      }, "email.delivered event");
      expect(events.map((event) => event.type)).toEqual(
        expect.arrayContaining(["email.sent", "email.delivered"]),
      );
      expect(events[0]).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        created_at: expect.any(String),
        data: { email_id: emailId, subject, to: ["tail@example.com"] },
      });
    } finally {
      // Ctrl-C ends it cleanly, saying where it stood.
      expect(await tail.stop("SIGINT")).toBe(0);
    }
    expect(tail.stderr.join("\n")).toContain("resume with --after");
  });

  it("prints one line per event, only the types asked for, and replays from --after", async () => {
    const tail = new Running(["events", "tail", "--type", "email.delivered"], { env });
    let emailId = "";
    try {
      await ready(tail);
      const subject = unique("Line");
      emailId = await sendEmail(live.apiKey, {
        from: "tail@acme.dev",
        to: ["line@example.com"],
        subject,
        text: "x",
      });
      const line = await tail.until(
        () => tail.stdout.find((text) => text.includes(emailId)),
        "a line",
      );
      // time, type, the email, who and what.
      expect(line).toMatch(
        new RegExp(
          `^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  email\\.delivered\\s+${emailId}  line@example\\.com  "${subject}"$`,
        ),
      );
      // email.sent came first, but was filtered out; and nothing else came for this email.
      expect(tail.stdout.filter((text) => text.includes(emailId))).toHaveLength(1);
      expect(tail.stdout.every((text) => text.includes("email.delivered"))).toBe(true);
    } finally {
      expect(await tail.stop("SIGTERM")).toBe(0);
    }

    // Resuming after the email's first event replays what followed it.
    const response = await fetch(`${live.url}/events?email_id=${emailId}`, {
      headers: { authorization: `Bearer ${live.apiKey}` },
    });
    const { data } = (await response.json()) as { data: { id: string; type: string }[] };
    const firstId = data.find((event) => event.type === "email.sent")?.id;
    expect(firstId).toBeDefined();
    const replay = new Running(["events", "tail", "--json", "--after", firstId as string], { env });
    try {
      const replayed = await replay.until(
        () =>
          replay.stdout
            .map((text) => JSON.parse(text))
            .find((event) => event.data?.email_id === emailId),
        "the replayed event",
      );
      expect(replayed.type).toBe("email.delivered");
    } finally {
      await replay.stop();
    }
  });

  it("fails with the API's error when the key may not read events", async () => {
    const tail = new Running(["events", "tail", "--api-key", "ts_not_a_key"], { env });
    expect(await tail.exited()).toBe(1);
    expect(tail.stderr.join("\n")).toContain("API key is invalid");
  });
});
