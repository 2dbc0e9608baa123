/**
 * The built package: ESM and CommonJS both load by the package's name and talk to the live
 * server, their types check for both kinds of consumer, and nothing in them needs Node.
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { live, unique } from "./support/client.ts";

const run = promisify(execFile);
const sdkMethods = JSON.parse(
  await readFile(new URL("../../../openapi/sdk-methods.json", import.meta.url), "utf8"),
) as { operations: Record<string, unknown> };
const root = fileURLToPath(new URL("..", import.meta.url));
const require = createRequire(import.meta.url);

function bin(pkg: string, name: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const bins = JSON.parse(require("node:fs").readFileSync(manifest, "utf8")).bin;
  return join(dirname(manifest), typeof bins === "string" ? bins : bins[name]);
}

/** Runs a script in a fresh Node process, from the package's folder (so its name resolves). */
async function node(args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, args, {
    cwd: root,
    env: { ...process.env, THRIVE_API_KEY: live.apiKey, THRIVE_BASE_URL: live.url },
  });
  return JSON.parse(stdout);
}

const SCRIPT = `
  const thrive = new ThriveSend();
  const health = await thrive.system.health();
  const sent = await thrive.emails.send({ from: "build@acme.dev", to: "b@example.com", subject: process.argv.at(-1), text: "x" });
  const missing = await thrive.emails.get("019ad4c2-7b10-7e55-9a31-3c1f0b6d2e47");
  console.log(JSON.stringify({
    health: health.data, sent: typeof sent.data?.id, missing: missing.error?.name,
    operations: Object.keys(operationMethods).length, verify: typeof verifyWebhook,
  }));
`;

beforeAll(async () => {
  await run(process.execPath, [bin("tsdown", "tsdown"), "--log-level", "warn"], { cwd: root });
}, 120_000);

describe("the built package", () => {
  const expected = {
    health: { status: "ok" },
    sent: "string",
    missing: "not_found",
    // Every operation of the spec.
    operations: Object.keys(sdkMethods.operations).length,
    verify: "function",
  };

  it("works from import (ESM)", async () => {
    const source = `import { ThriveSend, operationMethods, verifyWebhook } from "@thrive-send/sdk";\n${SCRIPT}`;
    expect(await node(["--input-type=module", "-e", source, unique("esm")])).toEqual(expected);
  });

  it("works from require (CommonJS)", async () => {
    const source = `const { ThriveSend, operationMethods, verifyWebhook } = require("@thrive-send/sdk");\n(async () => {${SCRIPT}})();`;
    expect(await node(["--input-type=commonjs", "-e", source, unique("cjs")])).toEqual(expected);
  });

  it("needs no Node built-in at run time", async () => {
    for (const file of ["dist/index.js", "dist/index.cjs"]) {
      const code = await readFile(join(root, file), "utf8");
      const imports = [
        ...code.matchAll(/(?:from\s*|import\(\s*|require\(\s*)["']([^"']+)["']/g),
      ].map((match) => match[1]);
      expect(new Set(imports), file).toEqual(new Set(["standardwebhooks", "@react-email/render"]));
    }
  });

  it("has types for ESM and CommonJS consumers", async () => {
    const dir = join(root, ".scratch", "consumer");
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const body = `
      const thrive = new ThriveSend("ts_x", { baseUrl: "http://localhost:3000" });
      export async function check(): Promise<string | undefined> {
        const { data, error } = await thrive.emails.send({ from: "a@b.c", to: "d@e.f", subject: "s", text: "t" });
        if (error) return error.name;
        for await (const email of thrive.emails.list()) return email.last_event;
        return data?.id;
      }
      export const method: string = operationMethods.sendEmail;`;
    await writeFile(
      join(dir, "esm.mts"),
      `import { ThriveSend, operationMethods } from "@thrive-send/sdk";\n${body}`,
    );
    await writeFile(
      join(dir, "cjs.cts"),
      `import sdk = require("@thrive-send/sdk");\nconst { ThriveSend, operationMethods } = sdk;\n${body}`,
    );
    await writeFile(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "node16",
          moduleResolution: "node16",
          target: "es2022",
          lib: ["es2022", "dom", "dom.asynciterable"],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: [],
        },
        files: ["esm.mts", "cjs.cts"],
      }),
    );
    const result = await run(process.execPath, [bin("typescript", "tsc"), "-p", dir], {
      cwd: root,
    }).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe("");
    await rm(dir, { recursive: true, force: true });
  });
});
