import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../test/database.ts";
import { type FuzzServer, startFuzzServer } from "./fuzz-server.ts";
import { prepareSchemathesis } from "./python-venv.ts";
import { runSchemathesis, type SchemathesisRun } from "./run-schemathesis.ts";

/**
 * schemathesis against a live API (a real socket, a worker, an SMTP sink) from its own
 * /openapi.json: every check (`--checks all`), and all four phases, the stateful one chaining
 * operations through the spec's `links`. Any failure fails the test, with schemathesis'
 * report. Python 3.11+ and PyPI are needed (python-venv.ts installs schemathesis); without
 * them the test is skipped with a notice, or fails when THRIVE_REQUIRE_PYTHON=1.
 *
 * THRIVE_FUZZ_EXAMPLES (default 30) and THRIVE_FUZZ_SEED (default 1) tune the run: the seed
 * makes it repeatable; another seed, or more examples, explores further.
 */

const EXAMPLES = process.env.THRIVE_FUZZ_EXAMPLES ?? "30";
const SEED = process.env.THRIVE_FUZZ_SEED ?? "1";
const RUN_TIMEOUT_MS = 15 * 60_000;
/** schemathesis itself stops a little before its test times out, and says so. */
const SCHEMATHESIS_TIMEOUT_MS = RUN_TIMEOUT_MS - 30_000;

const schemathesis = await prepareSchemathesis();
if (!schemathesis.ready) announceSkip(schemathesis.reason);

const title = schemathesis.ready
  ? "schemathesis against the live API"
  : `schemathesis against the live API (SKIPPED: ${schemathesis.reason.split("\n")[0]})`;

describe.runIf(schemathesis.ready)(title, () => {
  const serverErrors: string[] = [];
  let database: TestDatabase;
  let server: FuzzServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    // The server's own errors (a 5xx's stack) are kept to explain a failure, not printed.
    const logger = pino(
      { level: "error", base: { service: "thrive-send" } },
      { write: (line: string) => void (serverErrors.length < 200 && serverErrors.push(line)) },
    );
    server = await startFuzzServer({ database, logger });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  function expectNoFailure(run: SchemathesisRun) {
    // Its closing summary (operations, phases, test cases) goes into the CI log either way.
    const at = run.output.lastIndexOf("SUMMARY");
    const tail = at === -1 ? run.output.slice(-1500) : run.output.slice(at, at + 1500);
    console.log(`${run.command}\n  -> exit ${run.status} in ${run.seconds} s\n${tail}`);
    if (run.status !== 0) {
      const apiErrors = serverErrors.filter((line) => !line.includes('"component":"worker"'));
      console.error(
        `${run.output}\n${apiErrors.length ? `Server errors:\n${apiErrors.join("")}` : ""}`,
      );
    }
    expect(run.status, summary(run.output)).toBe(0);
  }

  it(
    "finds no failure in any operation, chained or not",
    async () => {
      if (!schemathesis.ready) return;
      const run = await runSchemathesis({
        executable: schemathesis.executable,
        url: server.url,
        identity: server.main,
        peer: server.other,
        timeoutMs: SCHEMATHESIS_TIMEOUT_MS,
        args: [
          "--checks",
          "all",
          "--phases",
          "examples,coverage,fuzzing,stateful",
          "--max-examples",
          EXAMPLES,
          "--seed",
          SEED,
          // Turning request signing on would refuse every later request of the run (they
          // are not signed): the test below fuzzes it in an organization of its own.
          "--exclude-operation-id",
          "rotateRequestSigningSecret",
        ],
      });
      expectNoFailure(run);
      // The stateful phase ran, on the spec's links.
      expect(run.output).toMatch(/Stateful \(in/);
      expect(run.output).toMatch(/API Links: +[1-9]\d* covered/);
    },
    RUN_TIMEOUT_MS,
  );

  it(
    "finds no failure in request signing, in an organization of its own",
    async () => {
      if (!schemathesis.ready) return;
      const run = await runSchemathesis({
        executable: schemathesis.executable,
        url: server.url,
        identity: await server.addOrganization("Signing organization"),
        peer: server.other,
        timeoutMs: SCHEMATHESIS_TIMEOUT_MS,
        args: [
          "--checks",
          "all",
          // These three operations have no links between them: no stateful phase.
          "--phases",
          "examples,coverage,fuzzing",
          "--max-examples",
          EXAMPLES,
          "--seed",
          SEED,
          "--include-path-regex",
          "^/request-signing",
        ],
      });
      expectNoFailure(run);
    },
    RUN_TIMEOUT_MS,
  );
});

/** The failures section of a report, for the assertion message. */
function summary(output: string): string {
  const at = output.indexOf("Failures:");
  return at === -1 ? output.slice(-3000) : output.slice(at, at + 3000);
}

function announceSkip(reason: string): void {
  const lines = [
    `SCHEMATHESIS FUZZ TEST SKIPPED: ${reason.split("\n")[0]}`,
    "The API was NOT fuzzed against its OpenAPI spec on this machine.",
    "Install Python 3.11+ with its venv module (Debian: apt-get install python3 python3-venv)",
    "and make PyPI reachable; THRIVE_REQUIRE_PYTHON=1 makes this a failure.",
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 4;
  const bar = "#".repeat(width + 2);
  // A reason of several lines (pip's output) follows the box whole.
  const more = reason.includes("\n") ? `${reason}\n` : "";
  console.error(
    `\n${[bar, ...lines.map((line) => `#  ${line.padEnd(width - 2)}#`), bar].join("\n")}\n${more}`,
  );
  if (process.env.THRIVE_REQUIRE_PYTHON === "1") {
    describe("schemathesis against the live API", () => {
      it("needs Python 3.11+ and schemathesis (THRIVE_REQUIRE_PYTHON=1)", () => {
        expect.fail(reason);
      });
    });
  }
}
