import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Cleanup } from "./cleanup.ts";
import type {
  FromReceiver,
  LatencySummary,
  ReceiverStats,
  ToReceiver,
} from "./receiver-protocol.ts";

const RECEIVER_ENTRY = fileURLToPath(new URL("../webhook-receiver.ts", import.meta.url));

export interface WebhookReceiver {
  pid: number;
  url: string;
  stats(): Promise<ReceiverStats>;
  /** Resolves with the receiver's clock time when `distinct` distinct messages have arrived. */
  reached(distinct: number): Promise<{ at: number; stats: ReceiverStats }>;
  /** Of the distinct messages from the `from`-th on. */
  latencies(from: number): Promise<LatencySummary>;
}

/** Forks webhook-receiver.ts, gives it the endpoint's secret, waits until it listens. */
export async function startReceiver(secret: string, cleanup: Cleanup): Promise<WebhookReceiver> {
  const child = fork(RECEIVER_ENTRY, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanup.add("stop webhook receiver", async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  });

  const listeners = new Set<(message: FromReceiver) => void>();
  child.on("message", (message: FromReceiver) => {
    for (const listener of listeners) listener(message);
  });
  const next = <T extends FromReceiver["type"]>(type: T) =>
    new Promise<Extract<FromReceiver, { type: T }>>((resolve, reject) => {
      const onExit = () => reject(new Error("the webhook receiver exited"));
      const listener = (message: FromReceiver) => {
        if (message.type !== type) return;
        listeners.delete(listener);
        child.off("exit", onExit);
        resolve(message as Extract<FromReceiver, { type: T }>);
      };
      listeners.add(listener);
      child.once("exit", onExit);
    });
  const tell = (message: ToReceiver) => child.send(message);

  const { port } = await next("listening");
  tell({ type: "configure", secret });
  return {
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${port}/webhooks`,
    async stats() {
      const reply = next("stats");
      tell({ type: "stats" });
      return (await reply).stats;
    },
    async reached(distinct) {
      const reply = next("reached");
      tell({ type: "notify", distinct });
      const { at, stats } = await reply;
      return { at, stats };
    },
    async latencies(from) {
      const reply = next("latencies");
      tell({ type: "latencies", from });
      return (await reply).latencies;
    },
  };
}
