/**
 * Runs the built `thrive` (dist/cli.js) as a child process, as a user would, each test file
 * with a home and config folder of its own, and no key in its environment.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

export const live = inject("live");
export const BIN = fileURLToPath(new URL("../../dist/cli.js", import.meta.url));

export interface Home {
  home: string;
  configDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
}

/** A fresh HOME and XDG_CONFIG_HOME; THRIVE_* and color variables cleared. */
export function newHome(): Home {
  const home = mkdtempSync(join(tmpdir(), "thrive-cli-home-"));
  const configDir = join(home, "config");
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: configDir };
  for (const name of ["THRIVE_API_KEY", "THRIVE_BASE_URL", "NO_COLOR", "FORCE_COLOR"]) {
    delete env[name];
  }
  return { home, configDir, configFile: join(configDir, "thrive", "config.json"), env };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
}

/** Runs `thrive <args>` to its end. */
export function thrive(args: string[], options: RunOptions = {}): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: options.env,
    cwd: options.cwd,
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin.end(options.input ?? "");
  return finished(child);
}

export function finished(child: ChildProcess): Promise<RunResult> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A `thrive` that keeps running (events tail, listen): its lines as they come. */
export class Running {
  readonly child: ChildProcess;
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  private readonly exit: Promise<number | null>;

  constructor(args: string[], options: RunOptions = {}) {
    this.child = spawn(process.execPath, [BIN, ...args], {
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const follow = (stream: NodeJS.ReadableStream, into: string[]) => {
      createInterface({ input: stream }).on("line", (line) => into.push(line));
    };
    follow(this.child.stdout as NodeJS.ReadableStream, this.stdout);
    follow(this.child.stderr as NodeJS.ReadableStream, this.stderr);
    this.exit = new Promise((resolve) => this.child.once("close", (code) => resolve(code)));
  }

  /** Waits until `check` finds what it wants in the lines so far. */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check();
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(
          `no ${what} (exit ${this.child.exitCode})\nstdout:\n${this.stdout.join("\n")}\nstderr:\n${this.stderr.join("\n")}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** The exit status, once it has ended by itself. */
  exited(): Promise<number | null> {
    return this.exit;
  }

  /** Sends the signal (Ctrl-C by default) and answers the exit status. */
  async stop(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
    if (this.child.exitCode === null) this.child.kill(signal);
    return this.exit;
  }
}

/** A unique lowercase name, so that files never collide on the shared server. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Sends through the API directly (not the CLI under test): an email that makes events. */
export async function sendEmail(apiKey: string, email: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${live.url}/emails`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
    body: JSON.stringify(email),
  });
  const body = (await response.json()) as { id?: string };
  if (!response.ok || !body.id) throw new Error(`send failed: ${JSON.stringify(body)}`);
  return body.id;
}
