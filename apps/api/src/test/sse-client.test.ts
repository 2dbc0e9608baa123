import { describe, expect, it } from "vitest";
import { type SseMessage, sseParser } from "./sse-client.ts";

const parse = (chunks: string[]) => {
  const messages: SseMessage[] = [];
  const parser = sseParser((message) => messages.push(message));
  for (const chunk of chunks) parser.push(chunk);
  return { messages, parser };
};

describe("sseParser", () => {
  it("dispatches id, event and data, joining data lines, across chunk boundaries", () => {
    const { messages, parser } = parse([
      "retry: 1000\n\nid: 1\nevent: a\ndata: x\nda",
      "ta: y\n\r\n: comment\n\ndata:no space\r",
      "\n\n",
    ]);
    expect(messages.map(({ id, event, data }) => ({ id, event, data }))).toEqual([
      { id: "1", event: "a", data: "x\ny" },
      { id: "1", event: "message", data: "no space" },
    ]);
    expect(parser.retry).toBe(1000);
    expect(parser.comments).toBe(1);
  });

  it("updates the last event id on a block without data, dispatching nothing", () => {
    const { messages, parser } = parse(["id: 5\nevent: a\ndata: x\n\nid: 3\ndata: y\n\nid: 5\n\n"]);
    expect(messages.map((message) => message.id)).toEqual(["5", "3"]);
    expect(parser.lastEventId).toBe("5");
  });
});
