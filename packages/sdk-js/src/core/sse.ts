/** One dispatched Server-Sent Event. */
export interface SseMessage {
  /** The stream's last event id when it was dispatched (it persists across events). */
  id: string;
  event: string;
  data: string;
}

/**
 * The parsing half of the EventSource spec (html.spec.whatwg.org, "event stream
 * interpretation"), fed one line at a time. Kept separate from the connection so that the
 * `id:`-only blocks the API sends (which move the last event id back) are handled as a
 * browser would.
 */
export class SseParser {
  lastEventId = "";
  /** The `retry:` the server asked for, in ms. */
  retryMs: number | undefined;
  private data: string[] = [];
  private event = "";
  private pendingId: string | undefined;

  /** Feeds a line; answers the event it completes, if any. */
  push(line: string): SseMessage | undefined {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.pendingId = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.retryMs = Number(value);
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    if (this.pendingId !== undefined) this.lastEventId = this.pendingId;
    this.pendingId = undefined;
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = "";
    if (data.length === 0) return undefined;
    return { id: this.lastEventId, event: event || "message", data: data.join("\n") };
  }
}
