import type { Command } from "commander";
import { Context } from "../context.ts";
import { followEvents } from "../follow.ts";
import { eventLine } from "../format.ts";
import { collect, typeMatcher } from "../values.ts";

interface TailOptions {
  type?: string[];
  after?: string;
}

export function registerEvents(program: Command): void {
  const events = program.command("events").description("your organization's events");

  events
    .command("tail")
    .description("print events as they happen, one line each (NDJSON with --json), until Ctrl-C")
    .option(
      "--type <types>",
      "only these types: repeat the option or separate with commas; email.* matches every email event",
      collect,
    )
    .option("--after <event-id>", "first replay the events recorded after this one")
    .addHelpText(
      "after",
      `
Examples:
  thrive events tail
  thrive events tail --type email.bounced,email.complained
  thrive events tail --type 'email.*' --json | jq .data.email_id`,
    )
    .action(async (options: TailOptions, command: Command) => {
      const ctx = Context.of(command);
      const { out } = ctx;
      const wanted = typeMatcher(options.type);
      await followEvents(ctx, {
        after: options.after,
        onReady: () => out.info(out.errColor.dim("Waiting for events… (Ctrl-C to stop)")),
        onEvent: (event) => {
          if (!wanted(event.type)) return;
          if (out.json) out.printNdjson({ id: event.id, ...event.payload });
          else out.print(eventLine(out.color, event));
        },
      });
    });
}
