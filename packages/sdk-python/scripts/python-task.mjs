/**
 * The Python SDK's checks, run by `pnpm typecheck` and `pnpm test` like any package's:
 * `node scripts/python-task.mjs typecheck|test|generate`.
 *
 * It creates a virtualenv in `.venv` when there is none, installs the package with its extras
 * (`-e .[dev,pandas,polars]`) when pyproject.toml changed since the last install (a stamp file
 * records it), then runs ruff and `mypy --strict` (typecheck), and pytest as well (test); the
 * live tests start the API with the `node` running this script.
 *
 * Without Python 3.10+ (or its venv module) it prints a loud notice that the Python SDK was NOT
 * checked and exits 0: `pnpm test` must work on a machine with only Node. Set
 * THRIVE_REQUIRE_PYTHON=1 to make that a failure instead (CI machines that have Python).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const MIN_PYTHON = [3, 10];
const VERSION_CODE = "import sys; print('%d.%d' % sys.version_info[:2])";
const EXTRAS = "dev,pandas,polars";
const root = dirname(dirname(fileURLToPath(import.meta.url)));
const venv = join(root, ".venv");
const venvPython =
  process.platform === "win32" ? join(venv, "Scripts", "python.exe") : join(venv, "bin", "python");
const stampFile = join(venv, ".thrive-send-install");
const lockDir = join(root, ".venv.lock");

const task = process.argv[2];
if (!["typecheck", "test", "generate"].includes(task)) {
  console.error("usage: node scripts/python-task.mjs typecheck|test|generate");
  process.exit(2);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function output(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

function skip(reason) {
  const lines = [
    `PYTHON SDK ${task.toUpperCase()} SKIPPED: ${reason}`,
    "packages/sdk-python was NOT type-checked or tested on this machine.",
    "Install Python 3.10+ with its venv module (Debian: apt-get install python3 python3-venv)",
    "and run pnpm test again; THRIVE_REQUIRE_PYTHON=1 makes this a failure.",
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const bar = "#".repeat(width + 2);
  const box = [bar, ...lines.map((line) => `#  ${line.padEnd(width - 2)}#`), bar].join("\n");
  console.error(`\n${box}\n`);
  process.exit(process.env.THRIVE_REQUIRE_PYTHON === "1" ? 1 : 0);
}

/** The first Python on PATH that is recent enough and can make a virtualenv. */
function findPython() {
  const candidates = [process.env.PYTHON, "python3", "python"].filter(Boolean);
  let found;
  for (const candidate of candidates) {
    const version = output(candidate, ["-c", VERSION_CODE]);
    if (!version) continue;
    const [major, minor] = version.split(".").map(Number);
    if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
      found ??= `${candidate} is Python ${version}; 3.10 or newer is needed`;
      continue;
    }
    if (output(candidate, ["-c", "import venv, ensurepip"]) === undefined) {
      found ??= `${candidate} (Python ${version}) has no venv/ensurepip module`;
      continue;
    }
    return { python: candidate, version };
  }
  skip(found ?? "python3 (>= 3.10) is not on PATH");
}

/** typecheck and test may start together: one of them sets the virtualenv up at a time. */
function withLock(action) {
  const deadline = Date.now() + 15 * 60 * 1000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== "EEXIST" || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    return action();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

function ensureVenv({ python, version }) {
  const stamp = createHash("sha256")
    .update(readFileSync(join(root, "pyproject.toml")))
    .update(version)
    .digest("hex");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  // A virtualenv of another (or a removed) Python is made afresh.
  if (existsSync(venv) && output(venvPython, ["-c", VERSION_CODE]) !== version) {
    rmSync(venv, { recursive: true, force: true });
  }
  if (!existsSync(venvPython)) {
    console.log(`sdk-python: creating .venv with ${python} (Python ${version})`);
    if (run(python, ["-m", "venv", venv]) !== 0) skip(`${python} -m venv failed`);
  }
  console.log(`sdk-python: installing -e .[${EXTRAS}] (pyproject.toml changed)`);
  const pip = ["-m", "pip", "install", "--disable-pip-version-check", "--quiet"];
  if (run(venvPython, [...pip, "-e", `.[${EXTRAS}]`]) !== 0) {
    console.error("sdk-python: pip install failed");
    process.exit(1);
  }
  writeFileSync(stampFile, stamp);
}

const found = findPython();
withLock(() => ensureVenv(found));

// The live tests start the API with `node`: the one running this script (Node 24).
const env = {
  ...process.env,
  PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
};
const steps = {
  generate: [["scripts/generate.py"]],
  typecheck: [
    ["-m", "ruff", "check", "src", "tests", "scripts"],
    ["-m", "ruff", "format", "--check", "src", "tests", "scripts"],
    ["-m", "mypy"],
  ],
  test: [
    ["-m", "mypy"],
    ["-m", "pytest"],
  ],
};
for (const args of steps[task]) {
  const status = run(venvPython, args, { env });
  if (status !== 0) process.exit(status);
}
