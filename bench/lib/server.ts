import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../../apps/api/src/test/free-port.ts";
import type { Cleanup } from "./cleanup.ts";
import { peakRssBytes } from "./proc.ts";

const SERVER_ENTRY = fileURLToPath(new URL("../../apps/api/src/server.ts", import.meta.url));

/** Levels at which the server logs one line per request: too much to forward, so discarded. */
const CHATTY_LEVELS = new Set(["info", "debug", "trace"]);
/** Server output lines echoed to our stderr before we only count them. */
const ECHO_LIMIT = 20;

export interface ServerOptions {
  role: "all" | "api" | "worker";
  databaseUrl: string;
  /** LOG_LEVEL of the server; default BENCH_SERVER_LOG_LEVEL, else warn. */
  logLevel?: string;
  /** Further server variables (SMTP_URL, SMTP_MAX_CONNECTIONS, ...). */
  env?: Record<string, string>;
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** The settings the server runs with, for the printed header. */
  describe: string;
  /** Lines the server wrote (warn and above when LOG_LEVEL=warn; stderr always). */
  outputLines(): number;
  /** Peak resident set size so far in bytes (VmHWM; Linux only). */
  peakRssBytes(): number | undefined;
  exited(): boolean;
}

// Tuning knobs the caller may set in its own environment; forwarded so runs can vary them.
const FORWARDED = ["DATABASE_POOL_SIZE", "WORKER_CONCURRENCY"];

/**
 * Starts `apps/api/src/server.ts` (the production entry) in a child process and waits for
 * GET /ready. The server sees only the variables given here, so a developer's shell cannot
 * change what is measured unnoticed. `cleanup` stops it with SIGTERM (SIGKILL after 15 s).
 */
/** One key per bench run, shared by its server processes (they read each other's secrets). */
const BENCH_ENCRYPTION_KEY = randomBytes(32).toString("hex");

export async function startServer(
  options: ServerOptions,
  cleanup: Cleanup,
): Promise<ServerProcess> {
  const port = await freePort();
  const logLevel = options.logLevel ?? (process.env.BENCH_SERVER_LOG_LEVEL || "warn");
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    DATABASE_URL: options.databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    THRIVE_ROLE: options.role,
    LOG_LEVEL: logLevel,
    ENCRYPTION_KEY: BENCH_ENCRYPTION_KEY,
    ...Object.fromEntries(
      FORWARDED.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])),
    ),
    // For profiling the server only, e.g. BENCH_SERVER_NODE_OPTIONS="--cpu-prof".
    ...(process.env.BENCH_SERVER_NODE_OPTIONS
      ? { NODE_OPTIONS: process.env.BENCH_SERVER_NODE_OPTIONS }
      : {}),
    ...options.env,
  };
  const chatty = CHATTY_LEVELS.has(logLevel);

  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env,
    // stdout carries pino's JSON lines; at chatty levels they go to /dev/null (the server still
    // pays for writing them, the terminal does not drown).
    stdio: ["ignore", chatty ? "ignore" : "pipe", "pipe"],
  });
  let lines = 0;
  const recent: string[] = [];
  const echo = (line: string) => {
    // Once we stop everything, the server's shutdown complaints are expected, not findings.
    if (cleanup.interrupted) return;
    lines += 1;
    recent.push(line);
    if (recent.length > 50) recent.shift();
    if (lines <= ECHO_LIMIT) process.stderr.write(`[server] ${line}\n`);
    else if (lines === ECHO_LIMIT + 1)
      process.stderr.write("[server] (further lines counted only)\n");
  };
  if (child.stdout) createInterface({ input: child.stdout }).on("line", echo);
  if (child.stderr) createInterface({ input: child.stderr }).on("line", echo);

  let exitCode: number | string | null | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    });
  });
  cleanup.add("stop server", () => stopChild(child, exit));

  const url = `http://127.0.0.1:${port}`;
  // A worker-only process serves no HTTP; callers wait for its heartbeat instead.
  if (options.role !== "worker") await waitForReady(url, () => exitCode !== undefined, recent);

  const knobs = Object.entries(env)
    .filter(
      ([key]) => !["PATH", "HOME", "DATABASE_URL", "HOST", "PORT", "ENCRYPTION_KEY"].includes(key),
    )
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");
  return {
    url,
    pid: child.pid ?? 0,
    describe: `${knobs}${chatty ? " (stdout discarded)" : ""}`,
    outputLines: () => lines,
    peakRssBytes: () => (child.pid ? peakRssBytes(child.pid) : undefined),
    exited: () => exitCode !== undefined,
  };
}

async function waitForReady(url: string, exited: () => boolean, recent: string[]): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`the server exited before it was ready:\n${recent.join("\n")}`);
    try {
      const response = await fetch(`${url}/ready`);
      await response.body?.cancel();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  throw new Error(`the server was not ready within 60 s:\n${recent.join("\n")}`);
}

async function stopChild(child: ChildProcess, exit: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exit;
  clearTimeout(timer);
}
