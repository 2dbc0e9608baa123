import { setTimeout as sleep } from "node:timers/promises";
import { domainToASCII } from "node:url";
import type { Domain, DomainListItem, DomainRecord, Page, ThriveSend } from "@thrive-send/sdk";
import { type Command, Option } from "commander";
import { Context } from "../context.ts";
import { CliError, EXIT_FAILURE, unwrap } from "../errors.ts";
import { colorStatus, formatDate } from "../format.ts";
import type { Output } from "../output.ts";
import { fetchAll } from "../pages.ts";
import { startProgress } from "../progress.ts";
import { renderTable } from "../table.ts";
import { integer } from "../values.ts";

const REGIONS = ["us-east-1", "eu-west-1", "sa-east-1", "ap-northeast-1"] as const;
/** Statuses a check does not move on from by itself within a wait. */
const FINAL_STATUSES = new Set(["verified", "failed"]);
const POLL_MS = 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The records to publish, the long value last so it wraps alone. */
function recordsTable(out: Output, records: DomainRecord[]): string {
  const c = out.color;
  return renderTable(
    c,
    ["RECORD", "TYPE", "NAME", "PRIORITY", "STATUS", "VALUE"],
    records.map((record) => [
      record.record,
      record.type,
      record.name,
      record.priority === undefined ? "" : String(record.priority),
      colorStatus(c, record.status),
      record.value,
    ]),
  );
}

function printDomain(out: Output, domain: Pick<Domain, "id" | "name" | "status" | "records">) {
  const c = out.color;
  out.print(`${c.bold(domain.name)}  ${c.dim(domain.id)}  ${colorStatus(c, domain.status)}`);
  out.print();
  out.print(recordsTable(out, domain.records));
  out.print();
  out.print(c.dim(`Names are relative to ${domain.name}.`));
}

/** A domain by its id, or by its name (looked up in the list). */
async function findDomain(client: ThriveSend, idOrName: string): Promise<Domain> {
  if (UUID.test(idOrName)) return unwrap(await client.domains.get(idOrName));
  const name = domainToASCII(idOrName.trim().toLowerCase().replace(/\.$/, "")) || idOrName;
  for await (const domain of client.domains.list({ limit: 100 })) {
    if (domain.name === name) return unwrap(await client.domains.get(domain.id));
  }
  throw new CliError(`No domain named ${idOrName}: \`thrive domains list\` shows yours.`, {
    code: "not_found",
    statusCode: 404,
  });
}

function printList(out: Output, page: Page<DomainListItem>): void {
  if (out.json) {
    out.printJson(page);
    return;
  }
  if (page.data.length === 0) {
    out.info("No domains: add one with `thrive domains add <name>`.");
    return;
  }
  const c = out.color;
  out.print(
    renderTable(
      c,
      ["ID", "NAME", "STATUS", "REGION", "CREATED"],
      page.data.map((domain) => [
        domain.id,
        domain.name,
        colorStatus(c, domain.status),
        domain.region,
        formatDate(domain.created_at),
      ]),
    ),
  );
  if (page.has_more) out.info(c.dim("More domains: --limit up to 100, or --all."));
}

/**
 * Starts a check and polls the domain until its status is final (verified, failed) or the
 * wait is over. Answers the domain as last seen.
 */
async function verifyAndWait(out: Output, client: ThriveSend, domain: Domain, waitSeconds: number) {
  unwrap(await client.domains.verify(domain.id));
  if (waitSeconds === 0) return unwrap(await client.domains.get(domain.id));
  const started = Date.now();
  const deadline = started + waitSeconds * 1000;
  const progress = startProgress(out, `Checking the DNS records of ${domain.name}…`);
  let current = domain;
  try {
    for (;;) {
      current = unwrap(await client.domains.get(domain.id));
      const elapsed = Math.round((Date.now() - started) / 1000);
      progress.update(
        `Checking the DNS records of ${domain.name}… ${current.status} (${elapsed} s)`,
      );
      if (FINAL_STATUSES.has(current.status) || Date.now() >= deadline) break;
      await sleep(Math.min(POLL_MS, deadline - Date.now()));
    }
  } catch (error) {
    progress.stop();
    throw error;
  }
  if (current.status === "verified") {
    progress.succeed(`${domain.name} is verified.`);
  } else if (current.status === "failed") {
    progress.fail(`${domain.name} failed verification: the records below were not all found.`);
  } else {
    progress.fail(
      `${domain.name} is still ${current.status} after ${waitSeconds} s: publish the records below; the API keeps checking on its own, or run this again.`,
    );
  }
  return current;
}

export function registerDomains(program: Command): void {
  const domains = program.command("domains").description("add sending domains and verify them");

  domains
    .command("add")
    .description("add a domain; prints the DNS records to publish")
    .argument("<name>", "the domain to send from, e.g. acme.dev")
    .addOption(
      new Option("--region <region>", "region (for Resend compatibility)").choices(REGIONS),
    )
    .action(async (name: string, options: { region?: (typeof REGIONS)[number] }, command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const domain = unwrap(await client.domains.create({ name, region: options.region }));
      if (ctx.out.json) {
        ctx.out.printJson(domain);
        return;
      }
      ctx.out.success(`Added ${domain.name}. Publish these DNS records at its DNS provider:`);
      printDomain(ctx.out, domain);
      ctx.out.info(`Then run: thrive domains verify ${domain.name}`);
    });

  domains
    .command("list")
    .description("your domains and their status")
    .option("--limit <n>", "how many (1 to 100)", integer(1, 100), 20)
    .option("--all", "every domain, page after page")
    .action(async (options: { limit: number; all?: boolean }, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const page = options.all
        ? await fetchAll(ctx.out, "domains", client.domains.list({ limit: 100 }))
        : unwrap(await client.domains.list({ limit: options.limit }));
      printList(ctx.out, page);
    });

  domains
    .command("get")
    .description("a domain and the status of each of its DNS records")
    .argument("<id|name>", "the domain's id or name")
    .action(async (idOrName: string, _options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const domain = await findDomain(await ctx.client(), idOrName);
      if (ctx.out.json) ctx.out.printJson(domain);
      else printDomain(ctx.out, domain);
    });

  domains
    .command("verify")
    .description("check a domain's DNS records now, and wait for the outcome")
    .argument("<id|name>", "the domain's id or name")
    .option(
      "--wait <seconds>",
      "how long to wait for a final status (0: do not wait)",
      integer(0, 3600),
      60,
    )
    .addHelpText(
      "after",
      "\nExits with 0 once the domain is verified (or at once with --wait 0), 1 when it failed or is still pending at the end of the wait.",
    )
    .action(async (idOrName: string, options: { wait: number }, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const domain = await findDomain(client, idOrName);
      const checked = await verifyAndWait(ctx.out, client, domain, options.wait);
      if (ctx.out.json) ctx.out.printJson(checked);
      else printDomain(ctx.out, checked);
      if (options.wait > 0 && checked.status !== "verified") process.exitCode = EXIT_FAILURE;
    });
}
