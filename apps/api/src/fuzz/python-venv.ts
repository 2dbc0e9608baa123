import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";

/**
 * schemathesis in a virtualenv of its own, `apps/api/.venv-fuzz` (git-ignored), set up the way
 * packages/sdk-python's scripts/python-task.mjs sets up the SDK's: made when missing with the
 * first Python 3.11+ on PATH (or $PYTHON), filled from the pinned requirements.txt beside this
 * file, and reinstalled when that file or the Python version changes (a stamp records both).
 * Without Python, its venv module or PyPI, the answer says why instead, for the test to skip.
 */
export type Schemathesis =
  | { ready: true; executable: string; python: string }
  | { ready: false; reason: string };

const MIN_PYTHON = [3, 11] as const;
const VERSION_CODE = "import sys; print('%d.%d' % sys.version_info[:2])";
const API_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const REQUIREMENTS = fileURLToPath(new URL("./requirements.txt", import.meta.url));
const VENV = join(API_ROOT, ".venv-fuzz");
const LOCK = join(API_ROOT, ".venv-fuzz.lock");
const STAMP = join(VENV, ".thrive-send-install");
const BIN = process.platform === "win32" ? join(VENV, "Scripts") : join(VENV, "bin");
const VENV_PYTHON = join(BIN, process.platform === "win32" ? "python.exe" : "python");

export async function prepareSchemathesis(): Promise<Schemathesis> {
  const found = await findPython();
  if ("reason" in found) return { ready: false, reason: found.reason };
  return withLock(async () => {
    const stamp = createHash("sha256")
      .update(await readFile(REQUIREMENTS))
      .update(found.version)
      .digest("hex");
    const installed = existsSync(STAMP) ? await readFile(STAMP, "utf8") : "";
    if (installed !== stamp) {
      // A virtualenv of another (or a removed) Python is made afresh.
      if ((await output(VENV_PYTHON, ["-c", VERSION_CODE])) !== found.version) {
        await rm(VENV, { recursive: true, force: true });
        const made = await run(found.python, ["-m", "venv", VENV]);
        if (made.status !== 0) return { ready: false, reason: `${found.python} -m venv failed` };
      }
      const pip = ["-m", "pip", "install", "--disable-pip-version-check", "--quiet"];
      const install = await run(VENV_PYTHON, [...pip, "-r", REQUIREMENTS]);
      if (install.status !== 0) {
        return { ready: false, reason: `pip install failed:\n${install.output.slice(-2000)}` };
      }
      await writeFile(STAMP, stamp);
    }
    return {
      ready: true,
      executable: join(BIN, process.platform === "win32" ? "schemathesis.exe" : "schemathesis"),
      python: VENV_PYTHON,
    };
  });
}

/** The first Python on PATH that is recent enough and can make a virtualenv. */
async function findPython(): Promise<{ python: string; version: string } | { reason: string }> {
  const candidates = [process.env.PYTHON, "python3", "python"].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  let problem: string | undefined;
  for (const python of candidates) {
    const version = await output(python, ["-c", VERSION_CODE]);
    if (!version) continue;
    const [major = 0, minor = 0] = version.split(".").map(Number);
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      problem ??= `${python} is Python ${version}; schemathesis needs ${MIN_PYTHON.join(".")} or newer`;
      continue;
    }
    if ((await output(python, ["-c", "import venv, ensurepip"])) === undefined) {
      problem ??= `${python} (Python ${version}) has no venv/ensurepip module`;
      continue;
    }
    return { python, version };
  }
  return { reason: problem ?? `python3 (>= ${MIN_PYTHON.join(".")}) is not on PATH` };
}

/** Two test runs may start together: one of them sets the virtualenv up at a time. */
async function withLock<T>(action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
  try {
    return await action();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}

interface RunResult {
  status: number;
  output: string;
}

function run(command: string, args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: API_ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    child.once("error", (error) => resolve({ status: -1, output: String(error) }));
    child.once("close", (status) => resolve({ status: status ?? -1, output: text }));
  });
}

async function output(command: string, args: string[]): Promise<string | undefined> {
  const result = await run(command, args);
  return result.status === 0 ? result.output.trim() : undefined;
}
