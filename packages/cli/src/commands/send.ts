import type { Tag } from "@thrive-send/sdk";
import type { Command } from "commander";
import { Context } from "../context.ts";
import { unwrap } from "../errors.ts";
import { collect, content, parseTag, splitAddresses } from "../values.ts";

interface SendOptions {
  from: string;
  to?: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string[];
  subject: string;
  html?: string;
  text?: string;
  tag?: Tag[];
  scheduledAt?: string;
  idempotencyKey?: string;
}

/** Present only when given: the API tells an empty list from no list. */
function addresses(values: string[] | undefined): string[] | undefined {
  const list = splitAddresses(values);
  return list.length > 0 ? list : undefined;
}

export function registerSend(program: Command): void {
  program
    .command("send")
    .description("send an email; prints its id")
    .requiredOption("--from <address>", 'sender, e.g. "Acme <hello@acme.dev>"')
    .option("--to <addresses>", "recipients: repeat the option or separate with commas", collect)
    .option("--cc <addresses>", "copy recipients (repeatable, comma list)", collect)
    .option("--bcc <addresses>", "blind copy recipients (repeatable, comma list)", collect)
    .option("--reply-to <addresses>", "reply-to addresses (repeatable, comma list)", collect)
    .requiredOption("--subject <text>", "subject line")
    .option("--html <html>", "HTML body, or @file.html (@- reads stdin)", content)
    .option(
      "--text <text>",
      "plain-text body, or @file.txt (made from the HTML when absent)",
      content,
    )
    .option("--tag <name=value>", "a tag, for filtering events (repeatable)", parseTag)
    .option("--scheduled-at <time>", "send later: an ISO 8601 time, e.g. 2026-12-01T09:00:00Z")
    .option("--idempotency-key <key>", "the same key sends once, however often the command runs")
    .addHelpText(
      "after",
      `
Examples:
  thrive send --from "Acme <hi@acme.dev>" --to you@example.com --subject Hi --html @welcome.html
  thrive send --from hi@acme.dev --to a@x.dev,b@x.dev --subject Report --text @report.txt --tag kind=report
  cat page.html | thrive send --from hi@acme.dev --to a@x.dev --subject Page --html @- --json`,
    )
    .action(async (options: SendOptions, command: Command) => {
      const to = addresses(options.to);
      if (!to) command.error("error: required option '--to <addresses>' not specified");
      if (options.html === undefined && options.text === undefined) {
        command.error("error: a body is required: --html or --text (or both)");
      }
      const ctx = Context.of(command);
      const client = await ctx.client();
      const sent = unwrap(
        await client.emails.send(
          {
            from: options.from,
            to,
            subject: options.subject,
            cc: addresses(options.cc),
            bcc: addresses(options.bcc),
            replyTo: addresses(options.replyTo),
            html: options.html,
            text: options.text,
            tags: options.tag,
            scheduledAt: options.scheduledAt,
          },
          options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {},
        ),
      );
      if (ctx.out.json) {
        ctx.out.printJson(sent);
        return;
      }
      ctx.out.print(sent.id);
      const when = options.scheduledAt ? `scheduled for ${options.scheduledAt}` : "queued";
      ctx.out.success(`Email to ${to.join(", ")} ${when}.`);
    });
}
