import { text } from "node:stream/consumers";
import { CliError, EXIT_USAGE } from "./errors.ts";

/**
 * Asks for the API key: hidden input on a terminal, else the first line of stdin
 * (`echo "$KEY" | thrive login`), so the key never has to be on the command line.
 */
export async function askApiKey(): Promise<string> {
  if (process.stdin.isTTY) {
    // Loaded only here: no other command needs a prompt.
    const { isCancel, password } = await import("@clack/prompts");
    const answer = await password({
      message: "API key",
      mask: "•",
      output: process.stderr,
      validate: (value) => (value?.trim() ? undefined : "Paste the key (ts_...)"),
    });
    if (isCancel(answer)) throw new CliError("Login canceled.", { code: "canceled" });
    return answer.trim();
  }
  const line = (await text(process.stdin)).split(/\r?\n/)[0]?.trim() ?? "";
  if (!line) {
    throw new CliError(
      "No API key: pass --api-key, set THRIVE_API_KEY, pipe it in, or run `thrive login` in a terminal.",
      { code: "missing_api_key", exitCode: EXIT_USAGE },
    );
  }
  return line;
}

/** Enough of a key to recognize it, never enough to use it. */
export function keyHint(apiKey: string): string {
  return `${apiKey.slice(0, 7)}…`;
}
