import type { StreamedEvent } from "@thrive-send/sdk";
import type { Context } from "./context.ts";
import { unwrap } from "./errors.ts";
import type { Output } from "./output.ts";

/**
 * A fetch that tells the person at the terminal when the event stream reconnects (once per
 * outage, however many attempts it takes): the SDK reconnects by itself, after the server's
 * `retry:` and with Last-Event-ID, and says nothing.
 */
function reportingReconnects(out: Output): typeof fetch {
  let connected = false;
  let lost = false;
  return async (input, init) => {
    if (!String(input).includes("/events/stream")) return fetch(input, init);
    if (connected && !lost) {
      lost = true;
      const after = new Headers(init?.headers).get("last-event-id");
      out.warn(`Connection lost; reconnecting${after ? ` (resuming after ${after})` : ""}…`);
    }
    const response = await fetch(input, init);
    if (response.ok) {
      if (lost) out.success("Reconnected.");
      connected = true;
      lost = false;
    }
    return response;
  };
}

export interface FollowOptions {
  /** Start after this event id (replaying what followed it), else from now. */
  after?: string;
  /** Called once the stream is live: whatever is recorded from then on is received. */
  onReady: () => void;
  /** Handles one event; `signal` aborts when the user stops the command. */
  onEvent: (event: StreamedEvent, signal: AbortSignal) => Promise<void> | void;
}

/**
 * Follows GET /events/stream until Ctrl-C (or SIGTERM): the stream is closed, the event in
 * hand finishes (its `signal` aborts), and the command ends with 0. A second Ctrl-C exits at
 * once. Where the stream stood is printed, to resume with `--after`.
 */
export async function followEvents(ctx: Context, options: FollowOptions): Promise<void> {
  const { out } = ctx;
  const client = await ctx.client({ fetch: reportingReconnects(out) });
  const stopped = new AbortController();
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(130);
    stopping = true;
    stopped.abort();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    const opened = await client.events.stream({ after: options.after, signal: stopped.signal });
    const stream = unwrap(opened);
    // close() ends the iteration quietly, where the signal would make it throw.
    stopped.signal.addEventListener("abort", () => stream.close(), { once: true });
    options.onReady();
    for await (const event of stream) {
      await options.onEvent(event, stopped.signal);
      if (stopping) break;
    }
    const last = stream.lastEventId;
    if (last) out.info(out.errColor.dim(`Last event: ${last} (resume with --after ${last})`));
  } catch (error) {
    // Stopped while connecting: nothing to report.
    if (!stopping) throw error;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
