import type { WriteStream } from "node:tty";
import pc from "picocolors";

export type Colors = ReturnType<typeof pc.createColors>;

/**
 * Colors for one stream: on a terminal unless NO_COLOR is set (no-color.org) or `--no-color`
 * was given; FORCE_COLOR turns them on anywhere. Each stream decides for itself, so
 * `thrive emails list | less` keeps colored messages on the terminal's stderr.
 */
export function colorsFor(
  stream: Pick<WriteStream, "isTTY">,
  allowed: boolean,
  env: NodeJS.ProcessEnv = process.env,
): Colors {
  if (!allowed || env.NO_COLOR) return pc.createColors(false);
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return pc.createColors(true);
  return pc.createColors(Boolean(stream.isTTY) && env.TERM !== "dumb");
}

/**
 * Where a command writes. stdout gets the result only (with `--json`: JSON and nothing else),
 * so it can be piped; messages, progress and errors go to stderr.
 */
export class Output {
  readonly json: boolean;
  /** Colors for stdout and for stderr. */
  readonly color: Colors;
  readonly errColor: Colors;
  /** stderr is a terminal: spinners may draw there. */
  readonly interactive: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;

  constructor(options: { json: boolean; color: boolean }) {
    this.json = options.json;
    this.stdout = process.stdout;
    this.stderr = process.stderr;
    this.color = colorsFor(process.stdout, options.color);
    this.errColor = colorsFor(process.stderr, options.color);
    this.interactive = Boolean(process.stderr.isTTY) && !process.env.CI;
  }

  /** A line of the command's result (stdout). */
  print(text = ""): void {
    this.stdout.write(`${text}\n`);
  }

  /** The result as JSON (stdout), indented: one value per command. */
  printJson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One value per line (stdout): what streaming commands print with `--json`. */
  printNdjson(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** A message for the person at the terminal (stderr). */
  info(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  success(text: string): void {
    this.info(`${this.errColor.green("✔")} ${text}`);
  }

  warn(text: string): void {
    this.info(`${this.errColor.yellow("!")} ${text}`);
  }
}
