import { CommanderError } from "commander";
import { type CliError, EXIT_OK, EXIT_USAGE, toCliError } from "./errors.ts";
import { colorsFor } from "./output.ts";
import { buildProgram } from "./program.ts";

function printError(error: CliError, json: boolean, color: boolean): void {
  if (json) {
    process.stderr.write(`${JSON.stringify(error.toJSON())}\n`);
    return;
  }
  const c = colorsFor(process.stderr, color);
  const origin = [error.code, error.statusCode].filter((part) => part !== null).join(", ");
  const lines = [`${c.red(c.bold("Error:"))} ${error.message} ${c.dim(`(${origin})`)}`];
  // One detail repeats the message; several say what each field got wrong.
  for (const detail of error.details.length > 1 ? error.details : []) {
    lines.push(`  ${c.dim("-")} ${detail.path ? `${detail.path}: ` : ""}${detail.message ?? ""}`);
  }
  if (error.requestId) lines.push(c.dim(`  request id: ${error.requestId}`));
  process.stderr.write(`${lines.join("\n")}\n`);
}

/** Runs the command line; answers the exit status (0 done, 1 failed, 2 usage error). */
export async function main(argv: string[]): Promise<number> {
  const args = argv.slice(2);
  // Known before parsing, so that even a parse error is printed the way the user asked.
  const json = args.includes("--json");
  const color = !args.includes("--no-color");
  // `thrive emails list | head` closes the pipe early: that is not an error.
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(EXIT_OK);
    throw error;
  });
  const program = buildProgram({ json, color });
  try {
    await program.parseAsync(argv);
    return Number(process.exitCode ?? EXIT_OK);
  } catch (error) {
    // Help and --version end parsing by "failing" with 0; every other parse error is usage.
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    const failure = toCliError(error);
    printError(failure, json, color);
    return failure.exitCode;
  }
}
