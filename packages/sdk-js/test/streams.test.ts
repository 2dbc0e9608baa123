/**
 * The stream's reconnects and the export's cuts, against a real local server scripted to drop
 * connections (the live API cannot be asked to).
 */
import type { ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { type StreamedEvent, ThriveSend } from "../src/index.ts";
import { apiError, localServer, type RecordedRequest } from "./support/local-server.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

type Step = (request: RecordedRequest, response: ServerResponse) => Promise<void> | void;

async function scripted(steps: Step[]) {
  const server = await localServer((request, response, index) => steps[index]?.(request, response));
  closers.push(server.close);
  return { server, thrive: new ThriveSend("ts_test", { baseUrl: server.url, maxRetries: 0 }) };
}

const event = (id: string, type = "email.sent") =>
  `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ type, created_at: "2026-11-30T10:00:00.000Z", data: { email_id: id } })}\n\n`;

/** Writes the chunks one by one, a little apart, then drops the connection. */
function sse(chunks: string[], end: "drop" | "keep" = "drop"): Step {
  return async (_, response) => {
    response.writeHead(200, { "content-type": "text/event-stream" });
    for (const chunk of chunks) {
      response.write(chunk);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (end === "drop") response.socket?.destroy();
  };
}

describe("events.stream reconnects", () => {
  it("resumes with Last-Event-ID after each drop, and stops when the API refuses", async () => {
    const first = event("e1");
    const { server, thrive } = await scripted([
      // Line ends split across chunks (`\r` | `\n`), a comment, and the server's retry delay.
      sse(["retry: 50\r", "\n\r\n: keep-alive\n\n", first.slice(0, 10), first.slice(10)]),
      // An event, then an `id:`-only block that moves the last id (as the API does).
      sse([event("e3"), event("e2"), "id: e3\n\n"]),
      (_, response) => apiError(401, "invalid_api_key")(response),
    ]);
    const { data: stream, error } = await thrive.events.stream({ after: "e0" });
    expect(error).toBeNull();
    const received: StreamedEvent[] = [];
    const reading = (async () => {
      for await (const item of stream ?? []) received.push(item);
    })();
    await expect(reading).rejects.toMatchObject({
      name: "ThriveSendError",
      error: { name: "invalid_api_key" },
    });
    expect(received.map((item) => [item.id, item.type])).toEqual([
      ["e1", "email.sent"],
      ["e3", "email.sent"],
      ["e2", "email.sent"],
    ]);
    expect(received[0]?.payload.data).toEqual({ email_id: "e1" });
    const [one, two, three] = server.requests;
    expect(one?.url).toBe("/events/stream?after=e0");
    expect(one?.headers["last-event-id"]).toBeUndefined();
    expect(two?.url).toBe("/events/stream");
    expect(two?.headers["last-event-id"]).toBe("e1");
    expect(three?.headers["last-event-id"]).toBe("e3");
    expect(stream?.lastEventId).toBe("e3");
    // The server's `retry: 50`, not the 1 s default.
    expect((two?.at ?? 0) - (one?.at ?? 0)).toBeLessThan(900);
  });

  it("keeps reconnecting through 5xx answers, and stops on the caller's signal", async () => {
    const { server, thrive } = await scripted([
      sse(["retry: 20\n\n", event("e1")]),
      (_, response) => apiError(503, "internal_server_error")(response),
      sse([event("e2")], "keep"),
    ]);
    const controller = new AbortController();
    const { data: stream } = await thrive.events.stream({ signal: controller.signal });
    const received: string[] = [];
    const reading = (async () => {
      for await (const item of stream ?? []) {
        received.push(item.id);
        if (item.id === "e2") controller.abort(new Error("enough"));
      }
    })();
    await expect(reading).rejects.toThrow("enough");
    expect(received).toEqual(["e1", "e2"]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]?.headers["last-event-id"]).toBe("e1");
  });

  it("ends when the connection drops and reconnect is off", async () => {
    const { server, thrive } = await scripted([sse([event("e1")])]);
    const { data: stream } = await thrive.events.stream({ reconnect: false });
    const ids: string[] = [];
    for await (const item of stream ?? []) ids.push(item.id);
    expect(ids).toEqual(["e1"]);
    expect(server.requests).toHaveLength(1);
  });
});

describe("events.export cuts", () => {
  it("throws connection_error when the export is cut short", async () => {
    const record = (id: string) => `${JSON.stringify({ object: "event", id })}\n`;
    const { thrive } = await scripted([
      async (_, response) => {
        response.writeHead(200, { "content-type": "application/x-ndjson" });
        response.write(record("a") + record("b").slice(0, 8));
        await new Promise((resolve) => setTimeout(resolve, 20));
        response.socket?.destroy();
      },
    ]);
    const { data } = await thrive.events.export();
    const ids: string[] = [];
    const reading = (async () => {
      for await (const item of data ?? []) ids.push(item.id);
    })();
    await expect(reading).rejects.toMatchObject({
      name: "ThriveSendError",
      error: { name: "connection_error" },
    });
    expect(ids).toEqual(["a"]);
  });
});
