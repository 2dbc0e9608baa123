import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { REPO_ROOT } from "../src/paths.ts";

export interface LiveServer {
  url: string;
  apiKey: string;
  otherApiKey: string;
  smtpUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts `apps/api/scripts/live-server.ts`: the API and the worker on a database of their own,
 * ready once it prints its JSON line. Closing its stdin stops it (also if this process dies).
 */
export async function startLiveServer(name: string): Promise<LiveServer> {
  const child: ChildProcess = spawn(process.execPath, ["apps/api/scripts/live-server.ts", name], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const stdout = child.stdout;
  if (!stdout) throw new Error("live server has no stdout");
  const lines = createInterface({ input: stdout });
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`live server exited (code ${String(code)}) before it was ready`);
  });
  const firstLine = once(lines, "line").then(([line]) => String(line));
  const line = await Promise.race([firstLine, exited]);
  lines.close();
  const ready = JSON.parse(line) as Omit<LiveServer, "stop">;
  return {
    ...ready,
    async stop() {
      if (child.exitCode !== null) return;
      const gone = once(child, "exit");
      child.stdin?.end();
      await gone;
    },
  };
}
