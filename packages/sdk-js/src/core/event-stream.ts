import type { WebhookPayload } from "../types.ts";
import { sleep } from "./abort.ts";
import { readLines } from "./lines.ts";
import { type ApiResponse, failure, ThriveSendError } from "./response.ts";
import { SseParser } from "./sse.ts";

/** One event of GET /events/stream. */
export interface StreamedEvent {
  /** The event's id; resuming after it gets what came next. */
  id: string;
  /** Its type, as in `payload.type`. */
  type: WebhookPayload["type"];
  /** The webhook payload: `{type, created_at, data}`. */
  payload: WebhookPayload;
}

/** Opens a connection resuming after `lastEventId` (none: from now, or from `after`). */
export type Connect = (
  lastEventId: string | undefined,
  signal: AbortSignal,
) => Promise<ApiResponse<Response>>;

export interface EventStreamOptions {
  /** Reconnect when the connection drops (default true). */
  reconnect?: boolean;
  /** Stops the stream; the iterator then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Resume after this event id, as a reconnecting EventSource would. */
  lastEventId?: string;
}

const DEFAULT_RECONNECT_MS = 1000;
const MAX_RECONNECT_MS = 30_000;

/**
 * GET /events/stream as an async iterator over a plain fetch body (no EventSource needed).
 * When the connection drops it reconnects as EventSource does, after the server's `retry:`
 * (doubling while reconnects fail), sending `Last-Event-ID` so that nothing is missed. It ends
 * on `close()` or `break`; a reconnect the API refuses (a revoked key...) throws a
 * ThriveSendError; the caller's signal rejects with its reason.
 */
export class EventStream implements AsyncIterable<StreamedEvent> {
  private readonly parser = new SseParser();
  /** Aborted by close() or the caller's signal: one signal for every connection. */
  private readonly controller = new AbortController();
  private readonly unfollow: () => void;
  private closed = false;
  private current: Response | undefined;
  private readonly connect: Connect;
  private readonly options: EventStreamOptions;

  private constructor(connect: Connect, options: EventStreamOptions) {
    this.connect = connect;
    this.options = options;
    this.parser.lastEventId = options.lastEventId ?? "";
    const caller = options.signal;
    const follow = () => this.controller.abort(caller?.reason);
    if (caller?.aborted) follow();
    else caller?.addEventListener("abort", follow, { once: true });
    this.unfollow = () => caller?.removeEventListener("abort", follow);
  }

  /** Connects; answers the stream once the server accepted it, or the API's error. */
  static async open(
    connect: Connect,
    options: EventStreamOptions,
  ): Promise<ApiResponse<EventStream>> {
    const stream = new EventStream(connect, options);
    const first = await connect(options.lastEventId || undefined, stream.controller.signal);
    if (first.error) {
      stream.unfollow();
      return failure(first.error, first.headers);
    }
    stream.current = first.data;
    return { data: stream, error: null, headers: first.headers };
  }

  /** The id of the last event received (what a reconnect resumes after). */
  get lastEventId(): string | undefined {
    return this.parser.lastEventId || undefined;
  }

  /** Ends the stream: the iterator finishes and the connection closes. */
  close(): void {
    this.closed = true;
    this.controller.abort();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<StreamedEvent> {
    let failures = 0;
    try {
      while (!this.closed) {
        const body = this.current?.body;
        this.current = undefined;
        if (body) {
          try {
            for await (const line of readLines(body)) {
              const message = this.parser.push(line);
              if (message) {
                failures = 0;
                yield toStreamedEvent(message.id, message.data);
              }
            }
          } catch (cause) {
            if (cause instanceof ThriveSendError) throw cause;
            this.throwIfStopped();
            // Otherwise the connection dropped: reconnect below.
          }
        }
        if (this.closed || this.options.reconnect === false) return;
        const base = this.parser.retryMs ?? DEFAULT_RECONNECT_MS;
        let next: ApiResponse<Response>;
        try {
          await sleep(Math.min(MAX_RECONNECT_MS, base * 2 ** failures), this.controller.signal);
          next = await this.connect(this.lastEventId, this.controller.signal);
        } catch (reason) {
          // Both reject only when the stream's signal aborts.
          this.throwIfStopped();
          if (this.closed) return;
          throw reason;
        }
        if (next.error) {
          const { statusCode } = next.error;
          // The API said no (a revoked key, a bad cursor): waiting will not change that.
          if (statusCode !== null && statusCode < 500 && statusCode !== 408 && statusCode !== 429) {
            throw new ThriveSendError(next.error, next.headers);
          }
          failures += 1;
        } else {
          this.current = next.data;
        }
      }
    } finally {
      this.unfollow();
      await this.current?.body?.cancel().catch(() => {});
    }
  }

  /** After an abort: close() ends quietly, the caller's signal rejects with its reason. */
  private throwIfStopped(): void {
    if (this.closed) return;
    if (this.options.signal?.aborted) throw this.options.signal.reason;
  }
}

function toStreamedEvent(id: string, data: string): StreamedEvent {
  let payload: WebhookPayload;
  try {
    payload = JSON.parse(data) as WebhookPayload;
  } catch {
    throw new ThriveSendError({
      name: "application_error",
      statusCode: null,
      message: `Event ${id} is not JSON.`,
    });
  }
  return { id, type: payload.type, payload };
}
