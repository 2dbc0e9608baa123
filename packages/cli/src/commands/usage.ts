import type { Usage } from "@thrive-send/sdk";
import type { Command } from "commander";
import { Context } from "../context.ts";
import { unwrap } from "../errors.ts";
import type { Output } from "../output.ts";
import { renderTable } from "../table.ts";
import { day } from "../values.ts";

interface UsageOptions {
  start?: string;
  end?: string;
  all?: boolean;
}

const count = (value: number) => value.toLocaleString("en-US");

/** `42 of 3,000` or `42 (no quota)`. */
function quota(used: number, limit: number | null): string {
  return limit === null ? `${count(used)} (no quota)` : `${count(used)} of ${count(limit)}`;
}

function printUsage(out: Output, usage: Usage, allDays: boolean): void {
  if (out.json) {
    out.printJson(usage);
    return;
  }
  const c = out.color;
  const rows: [string, string][] = [
    ["Plan", usage.plan],
    ["Today", quota(usage.quotas.daily.used, usage.quotas.daily.limit)],
    ["This month", quota(usage.quotas.monthly.used, usage.quotas.monthly.limit)],
    [
      `${usage.from} to ${usage.to}`,
      `${count(usage.totals.emails)} emails, ${count(usage.totals.api_calls)} API calls`,
    ],
  ];
  for (const [label, value] of rows) out.print(`${c.dim(label.padEnd(26))}${value}`);
  const days = allDays
    ? usage.data
    : usage.data.filter((entry) => entry.emails > 0 || entry.api_calls > 0);
  if (days.length === 0) return;
  out.print();
  out.print(
    renderTable(
      c,
      ["DAY", "EMAILS", "API CALLS"],
      days.map((entry) => [entry.day, count(entry.emails), count(entry.api_calls)]),
    ),
  );
}

export function registerUsage(program: Command): void {
  program
    .command("usage")
    .description("emails and API calls per day, and the plan's quotas")
    .option("--start <day>", "first UTC day (default: 29 days before --end)", day)
    .option("--end <day>", "last UTC day (default: today)", day)
    .option("--all", "every day of the range in the table, the quiet ones too")
    .addHelpText(
      "after",
      `
Examples:
  thrive usage
  thrive usage --start 2026-11-01 --end 2026-11-30 --json`,
    )
    .action(async (options: UsageOptions, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const usage = unwrap(await client.usage.get({ start: options.start, end: options.end }));
      printUsage(ctx.out, usage, Boolean(options.all));
    });
}
