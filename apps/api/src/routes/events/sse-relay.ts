import type { IncomingMessage } from "node:http";
import type { SSEStreamingApi } from "hono/streaming";
import type { Logger } from "../../lib/logger.ts";
import type { EventFeed, StreamEvent } from "../../services/events/event-feed.ts";
import type { EventNotifications } from "../../services/events/event-notifications.ts";

/** How long an EventSource waits before reconnecting (it then sends Last-Event-ID). */
const RETRY_MS = 1000;
/** At shutdown, how long a stream has to end cleanly before its socket is closed. */
const CLOSE_GRACE_MS = 200;

class StreamEnded extends Error {}

/**
 * One event as SSE: `id`, `event`, `data` (the payload on one line: JSON escapes line breaks).
 * An event committed after one with a larger id is followed by an `id:`-only block: it sets
 * the client's last event id back to the highest one sent without dispatching anything (the
 * SSE spec updates the id before it looks at the data), so a reconnection resumes after
 * everything received instead of sending the larger ones again.
 */
export function sseBlock(event: StreamEvent): string {
  const block = `id: ${event.id}\nevent: ${event.payload.type}\ndata: ${JSON.stringify(event.payload)}\n\n`;
  return event.resumeId === event.id ? block : `${block}id: ${event.resumeId}\n\n`;
}

/**
 * Writes the organization's events to an SSE stream until the client goes or the process
 * stops: woken by the shared LISTEN connection, reading what is new with the feed, writing it
 * with back-pressure (a slow client delays its own reads, nothing piles up), and a comment
 * line every `keepAliveMs` while idle.
 */
export async function relayEvents(options: {
  stream: SSEStreamingApi;
  feed: EventFeed;
  notifications: EventNotifications;
  orgId: string;
  logger: Logger;
  /** The request's socket, closed if the stream does not end by itself at shutdown. */
  incoming?: IncomingMessage | undefined;
}): Promise<void> {
  const { stream, feed, notifications } = options;
  let pending = true;
  let ended = false;
  let resume: (() => void) | undefined;
  const signal = () => {
    pending = true;
    resume?.();
    resume = undefined;
  };
  const end = () => {
    ended = true;
    signal();
  };
  stream.onAbort(end);
  let unsubscribe: () => void;
  try {
    unsubscribe = await notifications.subscribe(options.orgId, {
      wake: signal,
      close: () => {
        end();
        // A client that stopped reading leaves a write waiting forever: abort it, then close
        // the socket if the response has not ended by then.
        stream.abort();
        setTimeout(() => options.incoming?.socket.destroy(), CLOSE_GRACE_MS).unref();
      },
    });
  } catch (error) {
    // LISTEN failed (database unreachable): end the stream, the client retries.
    options.logger.warn({ err: error }, "event stream could not subscribe");
    return;
  }

  let writes = 0;
  const write = async (text: string) => {
    writes += 1;
    try {
      await stream.write(text);
    } finally {
      writes -= 1;
    }
    if (ended || stream.aborted) throw new StreamEnded();
  };
  const keepAlive = setInterval(() => {
    if (writes === 0) write(": keep-alive\n\n").catch(() => {});
  }, notifications.settings.keepAliveMs);

  try {
    // The first line says the stream is live: whatever is committed from then on is sent.
    await feed.start();
    await write(`retry: ${RETRY_MS}\n\n`);
    while (!ended && !stream.aborted) {
      if (!pending) {
        await new Promise<void>((resolve) => {
          resume = resolve;
        });
        continue;
      }
      pending = false;
      await feed.readNew((batch) => write(batch.map(sseBlock).join("")));
    }
  } catch (error) {
    if (!(error instanceof StreamEnded)) {
      // The client reconnects (retry) and resumes with Last-Event-ID.
      options.logger.warn({ err: error }, "event stream ended by an error");
    }
  } finally {
    clearInterval(keepAlive);
    unsubscribe();
  }
}
