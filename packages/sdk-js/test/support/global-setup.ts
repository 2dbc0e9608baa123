/**
 * Starts one live Thrive-Send (API, worker, database, mail catcher) for all the test files, as
 * `node apps/api/scripts/live-server.ts` does for any client of the API, and hands its URL and
 * keys to the tests. At the end it checks that the tests called every SDK method of
 * `operationMethods` (test/support/client.ts records each call in `callLog`).
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import {
  type LiveServer,
  startLiveServer,
} from "../../../../apps/api/scripts/start-live-server.ts";
import { operationMethods } from "../../src/operations.ts";

export type { LiveServer };

declare module "vitest" {
  export interface ProvidedContext {
    live: LiveServer;
    callLog: string;
  }
}

export default async function setup(project: TestProject) {
  const { stop, ...live } = await startLiveServer("sdk-js");
  const logDir = await mkdtemp(join(tmpdir(), "sdk-js-calls-"));
  const callLog = join(logDir, "calls.log");
  project.provide("live", live);
  project.provide("callLog", callLog);

  return async () => {
    await stop();
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
