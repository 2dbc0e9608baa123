import type { Email, EmailListItem, Page } from "@thrive-send/sdk";
import type { Command } from "commander";
import { Context } from "../context.ts";
import { unwrap } from "../errors.ts";
import { colorEvent, formatDate, truncate } from "../format.ts";
import type { Output } from "../output.ts";
import { fetchAll } from "../pages.ts";
import { renderTable } from "../table.ts";
import { integer } from "../values.ts";

interface ListOptions {
  limit: number;
  all?: boolean;
}

function printList(out: Output, page: Page<EmailListItem>): void {
  if (out.json) {
    out.printJson(page);
    return;
  }
  if (page.data.length === 0) {
    out.info("No emails.");
    return;
  }
  const c = out.color;
  out.print(
    renderTable(
      c,
      ["ID", "TO", "SUBJECT", "LAST EVENT", "CREATED"],
      page.data.map((email) => [
        email.id,
        truncate(email.to.join(", "), 40),
        truncate(email.subject, 50),
        colorEvent(c, email.last_event),
        formatDate(email.created_at),
      ]),
    ),
  );
  if (page.has_more) out.info(c.dim("More emails: --limit up to 100, or --all for every one."));
}

/** Bytes as a person reads them. */
function size(text: string | null): string {
  if (text === null) return "none";
  const bytes = Buffer.byteLength(text);
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

function printEmail(out: Output, email: Email): void {
  if (out.json) {
    out.printJson(email);
    return;
  }
  const c = out.color;
  const rows: [string, string | null | undefined][] = [
    ["ID", email.id],
    ["From", email.from],
    ["To", email.to.join(", ")],
    ["Cc", email.cc?.join(", ")],
    ["Bcc", email.bcc?.join(", ")],
    ["Reply-To", email.reply_to?.join(", ")],
    ["Subject", email.subject],
    ["Last event", colorEvent(c, email.last_event)],
    ["Scheduled", email.scheduled_at ? formatDate(email.scheduled_at) : undefined],
    ["Created", formatDate(email.created_at)],
    ["Message-ID", email.message_id],
    ["Tags", email.tags.map((tag) => `${tag.name}=${tag.value}`).join(", ")],
    ["Body", `html ${size(email.html)}, text ${size(email.text)}`],
  ];
  for (const [label, value] of rows) {
    if (value) out.print(`${c.dim(label.padEnd(12))}${value}`);
  }
}

export function registerEmails(program: Command): void {
  const emails = program.command("emails").description("list and inspect sent emails");

  emails
    .command("list")
    .description("the latest emails, newest first")
    .option("--limit <n>", "how many (1 to 100)", integer(1, 100), 20)
    .option("--all", "every email, page after page")
    .action(async (options: ListOptions, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const page = options.all
        ? await fetchAll(ctx.out, "emails", client.emails.list({ limit: 100 }))
        : unwrap(await client.emails.list({ limit: options.limit }));
      printList(ctx.out, page);
    });

  emails
    .command("get")
    .description("one email: recipients, subject, last event, tags")
    .argument("<id>", "the email's id")
    .action(async (id: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      printEmail(ctx.out, unwrap(await client.emails.get(id)));
    });
}
