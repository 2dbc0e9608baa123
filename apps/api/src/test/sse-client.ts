/**
 * A Server-Sent Events client over fetch, parsing the stream as the HTML standard's
 * EventSource does (lines, `id`/`event`/`data`/`retry` fields, comments, the last event id
 * updated even by a block without data), for tests and benchmarks that must see exactly
 * what a browser would.
 */
export interface SseMessage {
  id: string;
  event: string;
  data: string;
  /** performance.now() when its block was parsed. */
  receivedAt: number;
}

export interface SseParser {
  /** Feeds decoded text; calls onMessage for each dispatched message. */
  push(text: string): void;
  /** The last event id, as EventSource would send it in Last-Event-ID. */
  readonly lastEventId: string;
  readonly comments: number;
  readonly retry: number | undefined;
}

export function sseParser(onMessage: (message: SseMessage) => void): SseParser {
  let buffer = "";
  let data = "";
  let event = "";
  let idBuffer = "";
  let lastEventId = "";
  let comments = 0;
  let retry: number | undefined;
  let firstChunk = true;

  const dispatch = () => {
    lastEventId = idBuffer;
    if (data === "") {
      event = "";
      return;
    }
    const body = data.endsWith("\n") ? data.slice(0, -1) : data;
    onMessage({
      id: lastEventId,
      event: event || "message",
      data: body,
      receivedAt: performance.now(),
    });
    data = "";
    event = "";
  };

  const line = (text: string) => {
    if (text === "") return dispatch();
    if (text.startsWith(":")) {
      comments += 1;
      return;
    }
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? "" : text.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data += `${value}\n`;
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) idBuffer = value;
    else if (field === "retry" && /^\d+$/.test(value)) retry = Number(value);
  };

  return {
    push(text: string) {
      buffer += firstChunk && text.startsWith("\uFEFF") ? text.slice(1) : text;
      firstChunk = false;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        // A lone \r at the end may be the first half of \r\n: wait for more.
        if (!match || (match[0] === "\r" && match.index === buffer.length - 1)) return;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
    get lastEventId() {
      return lastEventId;
    },
    get comments() {
      return comments;
    },
    get retry() {
      return retry;
    },
  };
}

export interface SseConnection {
  status: number;
  messages: SseMessage[];
  parser: SseParser;
  /** Resolves when the message count reaches `count` (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SseMessage[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens `url` with fetch and parses its body as it arrives. */
export async function openSse(
  url: string,
  headers: Record<string, string> = {},
  onMessage?: (message: SseMessage) => void,
): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: "text/event-stream", ...headers },
    signal: controller.signal,
  });
  const messages: SseMessage[] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const parser = sseParser((message) => {
    messages.push(message);
    onMessage?.(message);
    waiters = waiters.filter((waiter) => {
      if (messages.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  });
  const ended = (async () => {
    if (!response.body || response.status !== 200) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) parser.push(decoder.decode(chunk, { stream: true }));
    } catch {
      // Aborted by close(), or cut by the server.
    }
  })();
  return {
    status: response.status,
    messages,
    parser,
    ended,
    waitFor(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${messages.length} of ${count} SSE messages in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(messages);
          },
        });
      });
    },
    close: () => controller.abort(),
  };
}
