/**
 * A webhook endpoint for `pnpm bench:webhooks`: verifies every message as a Resend user's
 * receiver does (svix's `Webhook.verify` with the endpoint's secret), counts them, and keeps
 * each message's latency from its event's `created_at` to its receipt. It runs in its own
 * process (forked by lib/receiver.ts) so its CPU use shows up apart from the worker's.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "svix";
import type {
  FromReceiver,
  LatencySummary,
  ReceiverStats,
  ToReceiver,
} from "./lib/receiver-protocol.ts";

let verifier: Webhook | undefined;
const stats: ReceiverStats = { verified: 0, distinct: 0, duplicates: 0, invalid: 0 };
const seen = new Set<string>();
const latencies: number[] = [];
let notifyAt: number | undefined;

const send = (message: FromReceiver) => process.send?.(message);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const receivedAt = Date.now();
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      if (!verifier) throw new Error("not configured");
      verifier.verify(body, request.headers as Record<string, string>);
    } catch {
      stats.invalid += 1;
      response.writeHead(400);
      response.end("invalid signature");
      return;
    }
    stats.verified += 1;
    const id = String(request.headers["webhook-id"]);
    if (seen.has(id)) stats.duplicates += 1;
    else {
      seen.add(id);
      stats.distinct = seen.size;
      const createdAt = Date.parse((JSON.parse(body) as { created_at: string }).created_at);
      latencies.push(receivedAt - createdAt);
      if (stats.distinct === notifyAt)
        send({ type: "reached", at: receivedAt, stats: { ...stats } });
    }
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("ok");
  });
});
// The worker keeps its connections open between messages, as it does with real endpoints.
server.keepAliveTimeout = 30_000;

function summary(from: number): LatencySummary {
  const sorted = latencies.slice(from).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
  };
}

process.on("message", (message: ToReceiver) => {
  switch (message.type) {
    case "configure":
      verifier = new Webhook(message.secret);
      break;
    case "stats":
      send({ type: "stats", stats: { ...stats } });
      break;
    case "notify":
      notifyAt = message.distinct;
      if (stats.distinct >= message.distinct)
        send({ type: "reached", at: Date.now(), stats: { ...stats } });
      break;
    case "latencies":
      send({ type: "latencies", latencies: summary(message.from) });
      break;
  }
});
process.on("disconnect", () => process.exit(0));

server.listen(0, "127.0.0.1", () => {
  send({ type: "listening", port: (server.address() as AddressInfo).port });
});
