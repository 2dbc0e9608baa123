import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { AuditLog, AuditLogFilters, Page } from "@thrive-send/sdk";
import { type Command, Option } from "commander";
import { Context } from "../context.ts";
import { CliError, unwrap } from "../errors.ts";
import { formatDate } from "../format.ts";
import type { Output } from "../output.ts";
import { fetchAll } from "../pages.ts";
import { startProgress } from "../progress.ts";
import { renderTable } from "../table.ts";
import { dateTime, integer } from "../values.ts";

interface FilterOptions {
  action?: string;
  actorType?: "api_key" | "user" | "system";
  actorId?: string;
  targetType?: string;
  targetId?: string;
  since?: string;
  until?: string;
}

interface ListOptions extends FilterOptions {
  limit: number;
  all?: boolean;
}

interface ExportOptions extends FilterOptions {
  format: "ndjson" | "csv";
  output?: string;
}

function filters(options: FilterOptions): AuditLogFilters {
  return {
    action: options.action,
    actorType: options.actorType,
    actorId: options.actorId,
    targetType: options.targetType,
    targetId: options.targetId,
    createdAfter: options.since,
    createdBefore: options.until,
  };
}

/** The filters both subcommands take. */
function withFilters(command: Command): Command {
  return command
    .option("--action <action>", "one action (api_key.created), or a kind of them (api_key.*)")
    .addOption(
      new Option("--actor-type <type>", "who acted").choices(["api_key", "user", "system"]),
    )
    .option("--actor-id <id>", "only what this API key or user did")
    .option("--target-type <type>", "only entries about this kind of object (domain, api_key...)")
    .option("--target-id <id>", "only entries about this object")
    .option("--since <time>", "recorded at or after this time (ISO 8601)", dateTime)
    .option("--until <time>", "recorded before this time (ISO 8601)", dateTime);
}

/** `api_key 019a…`, `user 019a…`, `system`; an object the same way. */
function described(subject: { type: string; id: string | null } | null): string {
  return subject ? [subject.type, subject.id].filter(Boolean).join(" ") : "";
}

function printList(out: Output, page: Page<AuditLog>): void {
  if (out.json) {
    out.printJson(page);
    return;
  }
  if (page.data.length === 0) {
    out.info("No audit log entries.");
    return;
  }
  const c = out.color;
  out.print(
    renderTable(
      c,
      ["CREATED", "ACTION", "ACTOR", "TARGET", "IP"],
      page.data.map((entry) => [
        formatDate(entry.created_at),
        c.cyan(entry.action),
        described(entry.actor),
        described(entry.target),
        entry.ip ?? "",
      ]),
    ),
  );
  if (page.has_more) out.info(c.dim("More entries: --limit up to 100, or --all for every one."));
}

export function registerAuditLogs(program: Command): void {
  const auditLogs = program
    .command("audit-logs")
    .description("what happened in your organization, and who did it");

  withFilters(
    auditLogs
      .command("list")
      .description("the latest entries, newest first")
      .option("--limit <n>", "how many (1 to 100)", integer(1, 100), 20)
      .option("--all", "every matching entry, page after page"),
  )
    .addHelpText(
      "after",
      `
Examples:
  thrive audit-logs list --action 'api_key.*'
  thrive audit-logs list --target-type domain --since 2026-11-01 --all --json`,
    )
    .action(async (options: ListOptions, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const page = options.all
        ? await fetchAll(
            ctx.out,
            "audit log entries",
            client.auditLogs.list({ ...filters(options), limit: 100 }),
          )
        : unwrap(await client.auditLogs.list({ ...filters(options), limit: options.limit }));
      printList(ctx.out, page);
    });

  withFilters(
    auditLogs
      .command("export")
      .description("every matching entry, oldest first, streamed as NDJSON or CSV")
      .addOption(
        new Option("--format <format>", "one JSON object a line, or CSV")
          .choices(["ndjson", "csv"])
          .default("ndjson"),
      )
      .option("-o, --output <file>", "write to this file (else to stdout)"),
  )
    .addHelpText(
      "after",
      `
Examples:
  thrive audit-logs export --since 2026-11-01 > november.ndjson
  thrive audit-logs export --format csv --output audit.csv`,
    )
    .action(async (options: ExportOptions, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const exported = unwrap(
        await client.auditLogs.export({ ...filters(options), format: options.format }),
      );
      await writeExport(ctx.out, exported.body, options);
    });
}

/**
 * The export's bytes to stdout or the file, as they arrive (any size, constant memory), with
 * a count of lines on a spinner when writing to a file. A file is only left complete: one cut
 * short is removed and the command fails.
 */
async function writeExport(
  out: Output,
  body: ReadableStream<Uint8Array>,
  options: ExportOptions,
): Promise<void> {
  const progress = options.output ? startProgress(out, "Exporting…") : undefined;
  let lines = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      for (const byte of chunk) if (byte === 10) lines += 1;
      progress?.update(`Exporting… ${lines.toLocaleString("en-US")} lines`);
      done(null, chunk);
    },
  });
  const destination = options.output ? createWriteStream(options.output) : process.stdout;
  try {
    await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), counter, destination);
  } catch (error) {
    progress?.stop();
    if (options.output) await rm(options.output, { force: true });
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError(
      `The export was cut short (${why}): export again from the last created_at received.`,
      { code: "connection_error" },
    );
  }
  if (!options.output) return;
  // CSV has a header line; NDJSON one line an entry.
  const entries = options.format === "csv" ? Math.max(0, lines - 1) : lines;
  progress?.succeed(`Exported ${entries.toLocaleString("en-US")} entries to ${options.output}.`);
  if (out.json) out.printJson({ path: options.output, format: options.format, entries });
}
