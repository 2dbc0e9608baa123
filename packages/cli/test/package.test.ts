/**
 * The package as it would be published: `pnpm pack`'s tarball holds the built bin and no
 * workspace dependency, installs into a project of its own, and `thrive` runs from there
 * (the SDK is bundled in it) and from the workspace (`npx thrive`).
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { pnpmCommand } from "./support/global-setup.ts";
import { live, newHome } from "./support/thrive.ts";

const run = promisify(execFile);
const tarball = inject("tarball");
const workspaceRoot = fileURLToPath(new URL("../../..", import.meta.url));
const manifest = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));

let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), "thrive-cli-consumer-"));
  await writeFile(
    join(project, "package.json"),
    JSON.stringify({ name: "consumer", private: true }),
  );
  const pnpm = pnpmCommand();
  // From the local store when it has the dependencies (it does after `pnpm install`).
  await run(pnpm.file, [...pnpm.args, "add", tarball, "--prefer-offline"], { cwd: project });
}, 120_000);

describe("the packed package", () => {
  it("holds the built bin, and depends on no workspace package", async () => {
    const { stdout } = await run("tar", ["-tzf", tarball]);
    const files = stdout.trim().split("\n").sort();
    expect(files).toEqual(expect.arrayContaining(["package/dist/cli.js", "package/package.json"]));
    expect(files.every((file) => /^package\/(dist\/|package\.json$|README\.md$)/.test(file))).toBe(
      true,
    );
    const installed = JSON.parse(
      await readFile(join(project, "node_modules/@thrive-send/cli/package.json"), "utf8"),
    );
    expect(installed.bin).toEqual({ thrive: "./dist/cli.js" });
    expect(Object.keys(installed.dependencies)).not.toContain("@thrive-send/sdk");
    expect(JSON.stringify(installed.dependencies)).not.toContain("workspace:");
  });

  it("runs as `npx thrive` once installed, against the API", async () => {
    const home = newHome();
    const env = { ...home.env, THRIVE_API_KEY: live.apiKey, THRIVE_BASE_URL: live.url };
    const version = await run("npx", ["--no", "--", "thrive", "--version"], { cwd: project, env });
    expect(version.stdout.trim()).toBe(manifest.version);

    const list = await run("npx", ["--no", "--", "thrive", "domains", "list", "--json"], {
      cwd: project,
      env,
    });
    expect(JSON.parse(list.stdout)).toMatchObject({ object: "list" });
  });

  it("runs as `npx thrive` from the workspace", async () => {
    const { stdout } = await run("npx", ["--no", "--", "thrive", "--help"], {
      cwd: workspaceRoot,
      env: newHome().env,
    });
    expect(stdout).toContain("Usage: thrive [options] [command]");
  });
});
