import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CONFIG = fileURLToPath(new URL("./schemathesis.toml", import.meta.url));
const HOOKS = fileURLToPath(new URL("./schemathesis_hooks.py", import.meta.url));

export interface SchemathesisRun {
  /** schemathesis' exit status: 0 when it found nothing. */
  status: number;
  /** Its report (the CLI's output). */
  output: string;
  /** The command line, keys left out. */
  command: string;
  seconds: number;
}

/**
 * Runs schemathesis against a live server's /openapi.json with schemathesis.toml and the hooks
 * beside this file. `identity` is the key the run works with, `peer` another organization's
 * (the object_level_authorization check's); both go in a Web Fuzzing Commons auth file of
 * a temporary folder, which is also the run's working folder (schemathesis' caches).
 */
export async function runSchemathesis(input: {
  executable: string;
  url: string;
  identity: { key: string; keyId: string };
  peer: { key: string };
  args: string[];
  /** The run is stopped (SIGTERM) past this, so that no schemathesis outlives its test. */
  timeoutMs: number;
}): Promise<SchemathesisRun> {
  const workDir = await mkdtemp(join(tmpdir(), "thrive-fuzz-"));
  try {
    const authFile = join(workDir, "auth.json");
    const header = (key: string) => [{ name: "Authorization", value: `Bearer ${key}` }];
    await writeFile(
      authFile,
      JSON.stringify({
        auth: [
          { name: "fuzzed", fixedHeaders: header(input.identity.key) },
          { name: "other", fixedHeaders: header(input.peer.key) },
        ],
      }),
      { mode: 0o600 },
    );
    const args = [
      "--config-file",
      CONFIG,
      "run",
      `${input.url}/openapi.json`,
      "--url",
      input.url,
      "--no-color",
      ...input.args,
    ];
    const started = performance.now();
    const result = await spawnCollecting(input.executable, args, {
      cwd: workDir,
      timeout: input.timeoutMs,
      env: {
        ...process.env,
        THRIVE_FUZZ_AUTH_FILE: authFile,
        THRIVE_FUZZ_KEY_ID: input.identity.keyId,
        SCHEMATHESIS_HOOKS: HOOKS,
        // The report goes to a log, not a terminal: no progress bars redrawn in place.
        COLUMNS: "120",
      },
    });
    return {
      ...result,
      command: ["schemathesis", ...args].join(" "),
      seconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function spawnCollecting(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeout: number },
): Promise<{ status: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.once("error", (error) => resolve({ status: -1, output: String(error) }));
    child.once("close", (status, signal) => {
      const output = Buffer.concat(chunks).toString("utf8");
      const stopped = signal ? `\n[stopped by ${signal}: over ${options.timeout} ms]\n` : "";
      resolve({ status: status ?? -1, output: output + stopped });
    });
  });
}
