/**
 * A standalone SMTP sink for the e2e bench: accepts everything, keeps nothing but counts.
 * It runs in its own process (forked by lib/sink.ts) so its CPU use shows up as a separate
 * process, not inside the sender being measured. Reports over IPC (see lib/sink-protocol.ts);
 * run by hand (`node smtp-sink.ts [port]`) it prints its counts every 5 s instead.
 */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { FromSink, SinkStats, ToSink } from "./lib/sink-protocol.ts";

/** Headers end within this many bytes in any message we send; past it we stop looking. */
const HEADER_LIMIT = 64 * 1024;
const MESSAGE_ID = /^message-id:\s*(<[^>\r\n]*>)/im;

let stats: SinkStats = fresh();
let seen = new Set<string>();
let notifyAt: number | undefined;

function fresh(): SinkStats {
  return { received: 0, distinct: 0, duplicates: 0, withoutMessageId: 0, bytes: 0 };
}

function send(message: FromSink): void {
  process.send?.(message);
}

function record(messageId: string | undefined, bytes: number): void {
  stats.received += 1;
  stats.bytes += bytes;
  if (messageId === undefined) stats.withoutMessageId += 1;
  else if (seen.has(messageId)) stats.duplicates += 1;
  else {
    seen.add(messageId);
    stats.distinct = seen.size;
    if (stats.distinct === notifyAt) send({ type: "reached", at: Date.now(), stats: { ...stats } });
  }
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["AUTH", "STARTTLS"],
  disableReverseLookup: true,
  logger: false,
  size: 100 * 1024 * 1024,
  // The senders under test keep a handful of pooled connections; allow plenty.
  maxClients: 1000,
  onData(stream, _session, callback) {
    // Only the header block is searched: buffer chunks until the blank line that ends it,
    // then just count the body's bytes as they stream past.
    let head: Buffer = Buffer.alloc(0);
    let searching = true;
    let messageId: string | undefined;
    let bytes = 0;
    const search = () => {
      const end = head.indexOf("\r\n\r\n");
      const block = head.subarray(0, end === -1 ? head.length : end).toString("latin1");
      messageId = MESSAGE_ID.exec(block)?.[1];
      searching = false;
      head = Buffer.alloc(0);
    };
    stream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (!searching) return;
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      if (head.length >= HEADER_LIMIT || head.includes("\r\n\r\n")) search();
    });
    stream.on("end", () => {
      if (searching) search();
      if (stream.sizeExceeded) return callback(new Error("message too big"));
      record(messageId, bytes);
      callback(null, `Ok: ${stats.received}`);
    });
  },
});
server.on("error", () => {
  // Client disconnects surface here; the senders report their own errors.
});

process.on("message", (message: ToSink) => {
  switch (message.type) {
    case "stats":
      send({ type: "stats", stats: { ...stats } });
      break;
    case "reset":
      stats = fresh();
      seen = new Set();
      notifyAt = undefined;
      break;
    case "notify":
      notifyAt = message.distinct;
      if (stats.distinct >= message.distinct) {
        send({ type: "reached", at: Date.now(), stats: { ...stats } });
      }
      break;
  }
});
// The parent going away must not leave the sink listening.
process.on("disconnect", () => process.exit(0));

server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  const { port } = server.server.address() as AddressInfo;
  if (process.send) send({ type: "listening", port });
  else {
    console.log(`SMTP sink listening on 127.0.0.1:${port}`);
    setInterval(() => console.log(JSON.stringify(stats)), 5000);
  }
});
