/**
 * Starts one live Thrive-Send (API, worker, database, mail catcher) for all the test files, as
 * `node apps/api/scripts/live-server.ts` does for any client of the API, and hands its URL and
 * keys to the tests. At the end it checks that the tests called every SDK method of
 * `operationMethods` (test/support/client.ts records each call in `callLog`).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { operationMethods } from "../../src/operations.ts";

export interface LiveServer {
  url: string;
  apiKey: string;
  otherApiKey: string;
  smtpUrl: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    live: LiveServer;
    callLog: string;
  }
}

const SCRIPT = fileURLToPath(
  new URL("../../../../apps/api/scripts/live-server.ts", import.meta.url),
);

function startLiveServer(): Promise<{ child: ChildProcess; live: LiveServer }> {
  const child = spawn(process.execPath, [SCRIPT, "sdk-js"], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? "error" },
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once("line", (line) => resolve({ child, live: JSON.parse(line) as LiveServer }));
    child.once("exit", (code) =>
      reject(new Error(`live server exited (${code}) before it was ready`)),
    );
    child.once("error", reject);
  });
}

export default async function setup(project: TestProject) {
  const { child, live } = await startLiveServer();
  const logDir = await mkdtemp(join(tmpdir(), "sdk-js-calls-"));
  const callLog = join(logDir, "calls.log");
  project.provide("live", live);
  project.provide("callLog", callLog);

  return async () => {
    // Closing stdin stops the server and drops its database.
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.stdin?.end();
    const timer = setTimeout(() => child.kill("SIGTERM"), 15_000);
    await exited;
    clearTimeout(timer);
    const called = new Set(
      (await readFile(callLog, "utf8").catch(() => "")).split("\n").filter(Boolean),
    );
    await rm(logDir, { recursive: true, force: true });
    // Only a full run can tell: a run of some files (or tests) calls only some methods.
    const { filenamePattern } = project.vitest as { filenamePattern?: string[] };
    if (filenamePattern?.length || project.vitest.config.testNamePattern) return;
    const uncalled = Object.values(operationMethods).filter((method) => !called.has(method));
    if (uncalled.length > 0) {
      throw new Error(`SDK methods no test called: ${uncalled.join(", ")}`);
    }
  };
}
