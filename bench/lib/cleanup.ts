/**
 * Undo steps (stop processes, drop the database, stop PostgreSQL) run in reverse order, once,
 * whether the bench finishes, throws, or is interrupted with Ctrl-C.
 */
export class Cleanup {
  #steps: { label: string; run: () => Promise<void> | void }[] = [];
  #running: Promise<void> | undefined;
  #interrupted = false;

  constructor() {
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        this.#interrupted = true;
        process.stderr.write(`\n${signal}: cleaning up\n`);
        void this.run().finally(() => process.exit(130));
      });
    }
  }

  /**
   * Ctrl-C reaches the whole process group, so the children (embedded PostgreSQL included)
   * are already going down: their complaints and the errors they cause are noise by then.
   */
  get interrupted(): boolean {
    return this.#interrupted;
  }

  add(label: string, run: () => Promise<void> | void): void {
    this.#steps.push({ label, run });
  }

  run(): Promise<void> {
    this.#running ??= (async () => {
      for (const step of this.#steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          // Keep going: a failed step must not leave the later ones (e.g. PostgreSQL) running.
          const reason = error instanceof Error ? error.message : String(error);
          console.error(`cleanup: ${step.label} failed: ${reason}`);
        }
      }
    })();
    return this.#running;
  }
}

/**
 * Runs a bench's main with a Cleanup: its undo steps run however main ends, and a failure
 * sets the exit code (quietly after Ctrl-C, when failures are the interruption's echo).
 */
export async function runBench(main: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup = new Cleanup();
  try {
    await main(cleanup);
  } catch (error) {
    if (!cleanup.interrupted) console.error(error);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}
