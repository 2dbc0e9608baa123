import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Cleanup } from "./cleanup.ts";
import type { FromSink, SinkStats, ToSink } from "./sink-protocol.ts";

const SINK_ENTRY = fileURLToPath(new URL("../smtp-sink.ts", import.meta.url));

export interface Sink {
  pid: number;
  url: string;
  stats(): Promise<SinkStats>;
  reset(): void;
  /** Resolves with the sink's clock time when `distinct` distinct Message-IDs have arrived. */
  reached(distinct: number): Promise<{ at: number; stats: SinkStats }>;
}

/** Forks smtp-sink.ts and waits until it listens; `cleanup` stops it. */
export async function startSink(cleanup: Cleanup): Promise<Sink> {
  const child = fork(SINK_ENTRY, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  cleanup.add("stop SMTP sink", async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    await exited;
  });

  const listeners = new Set<(message: FromSink) => void>();
  child.on("message", (message: FromSink) => {
    for (const listener of listeners) listener(message);
  });
  const next = <T extends FromSink["type"]>(type: T) =>
    new Promise<Extract<FromSink, { type: T }>>((resolve, reject) => {
      const onExit = () => reject(new Error("the SMTP sink exited"));
      const listener = (message: FromSink) => {
        if (message.type !== type) return;
        listeners.delete(listener);
        child.off("exit", onExit);
        resolve(message as Extract<FromSink, { type: T }>);
      };
      listeners.add(listener);
      child.once("exit", onExit);
    });
  const tell = (message: ToSink) => child.send(message);

  const { port } = await next("listening");
  return {
    pid: child.pid ?? 0,
    url: `smtp://127.0.0.1:${port}`,
    async stats() {
      const reply = next("stats");
      tell({ type: "stats" });
      return (await reply).stats;
    },
    reset: () => tell({ type: "reset" }),
    async reached(distinct) {
      const reply = next("reached");
      tell({ type: "notify", distinct });
      const { at, stats } = await reply;
      return { at, stats };
    },
  };
}
