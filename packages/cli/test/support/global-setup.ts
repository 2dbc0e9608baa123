/**
 * Builds the CLI (dist/cli.js, the package's bin), packs it as it would be published, and
 * starts one live Thrive-Send (API, worker, database, mail catcher) with
 * `node apps/api/scripts/live-server.ts cli` for all the test files, which run the built
 * `thrive` as a child process against it. Packing runs the package's `prepare` (a build), so
 * it happens here, before any test runs dist/cli.js.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import {
  type LiveServer,
  startLiveServer,
} from "../../../../apps/api/scripts/start-live-server.ts";

export type { LiveServer };

declare module "vitest" {
  export interface ProvidedContext {
    live: LiveServer;
    /** The packed package (pnpm pack). */
    tarball: string;
  }
}

const root = fileURLToPath(new URL("../..", import.meta.url));

async function build(): Promise<void> {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsdown/package.json");
  const bin = join(dirname(manifest), require(manifest).bin.tsdown);
  await promisify(execFile)(process.execPath, [bin, "--log-level", "warn"], { cwd: root });
}

/** pnpm as the test runner was started with (`pnpm test`), else the one on the PATH. */
export function pnpmCommand(): { file: string; args: string[] } {
  const execPath = process.env.npm_execpath;
  if (execPath && /pnpm/.test(execPath)) {
    return execPath.endsWith(".js") || execPath.endsWith(".cjs")
      ? { file: process.execPath, args: [execPath] }
      : { file: execPath, args: [] };
  }
  return { file: "pnpm", args: [] };
}

async function pack(): Promise<string> {
  const destination = await mkdtemp(join(tmpdir(), "thrive-cli-pack-"));
  const pnpm = pnpmCommand();
  await promisify(execFile)(pnpm.file, [...pnpm.args, "pack", "--pack-destination", destination], {
    cwd: root,
  });
  const [file] = (await readdir(destination)).filter((name) => name.endsWith(".tgz"));
  if (!file) throw new Error(`pnpm pack wrote no tarball in ${destination}`);
  return join(destination, file);
}

export default async function setup(project: TestProject) {
  const [{ stop, ...live }, tarball] = await Promise.all([
    startLiveServer("cli"),
    build().then(pack),
  ]);
  project.provide("live", live);
  project.provide("tarball", tarball);
  return stop;
}
