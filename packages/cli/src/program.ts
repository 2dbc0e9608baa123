import { Command, Option } from "commander";
import { registerApiKeys } from "./commands/api-keys.ts";
import { registerAuditLogs } from "./commands/audit-logs.ts";
import { registerDomains } from "./commands/domains.ts";
import { registerEmails } from "./commands/emails.ts";
import { registerEvents } from "./commands/events.ts";
import { registerListen } from "./commands/listen.ts";
import { registerLogin } from "./commands/login.ts";
import { registerSend } from "./commands/send.ts";
import { registerUsage } from "./commands/usage.ts";
import { colorsFor } from "./output.ts";
import { VERSION } from "./version.ts";

/**
 * The `thrive` command line. Usage errors throw a CommanderError (exitOverride) for `main` to
 * turn into exit status 2; with `--json` they are printed as `{"error": ...}` like API errors.
 */
export function buildProgram(options: { json: boolean; color: boolean }): Command {
  const errColors = colorsFor(process.stderr, options.color);
  const program = new Command("thrive")
    .description(
      "Thrive-Send from the terminal: send email, follow events, set up domains, rotate keys, read the audit log and usage.",
    )
    .version(VERSION, "-v, --version")
    .addOption(
      new Option("--api-key <key>", "API key (else the one `thrive login` stored)").env(
        "THRIVE_API_KEY",
      ),
    )
    .addOption(
      new Option(
        "--base-url <url>",
        "the API's URL (else the stored one, else http://localhost:3000)",
      ).env("THRIVE_BASE_URL"),
    )
    .option("--json", "print JSON on stdout (NDJSON for streams); messages stay on stderr")
    .option("--no-color", "no colors (also when NO_COLOR is set or output is not a terminal)")
    .showHelpAfterError(options.json ? false : "(add --help for usage)")
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      outputError: (message, write) => {
        if (options.json) {
          const text = message
            .replace(/^error:\s*/, "")
            .split("\n")[0]
            ?.trim();
          write(
            `${JSON.stringify({ error: { name: "usage_error", message: text, statusCode: null } })}\n`,
          );
        } else {
          write(errColors.red(message));
        }
      },
    })
    .exitOverride();

  registerLogin(program);
  registerSend(program);
  registerEmails(program);
  registerDomains(program);
  registerEvents(program);
  registerListen(program);
  registerApiKeys(program);
  registerAuditLogs(program);
  registerUsage(program);
  return program;
}
