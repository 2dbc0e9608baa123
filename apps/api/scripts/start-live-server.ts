import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** What live-server.ts prints once it is ready. */
export interface LiveServer {
  url: string;
  apiKey: string;
  otherApiKey: string;
  smtpUrl: string;
}

const SCRIPT = fileURLToPath(new URL("./live-server.ts", import.meta.url));

/**
 * Starts `live-server.ts <name>` (the API and the worker on a database of their own, for the
 * tests of a client of the API: SDKs, CLI, Postman) and answers once it prints its JSON line.
 * `stop()` closes its stdin, which stops it and drops its database (SIGTERM after 15 s);
 * closing happens too if this process dies.
 */
export async function startLiveServer(
  name: string,
): Promise<LiveServer & { stop(): Promise<void> }> {
  const child = spawn(process.execPath, [SCRIPT, name], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`live server exited (code ${String(code)}) before it was ready`);
  });
  const firstLine = once(lines, "line").then(([line]) => String(line));
  const line = await Promise.race([firstLine, exited]);
  lines.close();
  exited.catch(() => {});
  const ready = JSON.parse(line) as LiveServer;
  return {
    ...ready,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = once(child, "exit");
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGTERM"), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
