import type { ApiKey, Page } from "@thrive-send/sdk";
import type { Command } from "commander";
import { Context } from "../context.ts";
import { unwrap } from "../errors.ts";
import { formatDate } from "../format.ts";
import type { Output } from "../output.ts";
import { fetchAll } from "../pages.ts";
import { renderTable } from "../table.ts";
import { integer } from "../values.ts";

interface ListOptions {
  limit: number;
  all?: boolean;
}

interface RotateOptions {
  gracePeriod?: number;
}

function printList(out: Output, page: Page<ApiKey>): void {
  if (out.json) {
    out.printJson(page);
    return;
  }
  if (page.data.length === 0) {
    out.info("No API keys.");
    return;
  }
  const c = out.color;
  out.print(
    renderTable(
      c,
      ["ID", "NAME", "PERMISSION", "PREFIX", "LAST USED", "EXPIRES", "CREATED"],
      page.data.map((key) => [
        key.id,
        key.name,
        key.permission,
        key.token_prefix,
        formatDate(key.last_used_at),
        key.expires_at ? c.yellow(formatDate(key.expires_at)) : "",
        formatDate(key.created_at),
      ]),
    ),
  );
  if (page.has_more) out.info(c.dim("More keys: --limit up to 100, or --all for every one."));
}

export function registerApiKeys(program: Command): void {
  const apiKeys = program.command("api-keys").description("your organization's API keys");

  apiKeys
    .command("list")
    .description("the active keys, newest first (their prefix only: tokens are shown once)")
    .option("--limit <n>", "how many (1 to 100)", integer(1, 100), 20)
    .option("--all", "every key, page after page")
    .action(async (options: ListOptions, command: Command) => {
      const ctx = Context.of(command);
      const client = await ctx.client();
      const page = options.all
        ? await fetchAll(ctx.out, "API keys", client.apiKeys.list({ limit: 100 }))
        : unwrap(await client.apiKeys.list({ limit: options.limit }));
      printList(ctx.out, page);
    });

  apiKeys
    .command("rotate")
    .description(
      "a successor for a key (same name, permission, domain, allowed IPs); the old one keeps working for the grace period",
    )
    .argument("<id>", "the key's id (`thrive api-keys list`)")
    .option(
      "--grace-period <seconds>",
      "how long the old key keeps working (0 to 2592000; default 86400, a day)",
      integer(0, 2_592_000),
    )
    .addHelpText(
      "after",
      `
The new key's token is printed once, on stdout: store it now (a secret manager, your
deployment's environment). The stored key of \`thrive login\` is not changed.

Examples:
  thrive api-keys rotate 019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e --grace-period 3600
  thrive api-keys rotate 019a7c2e-6a01-7d2b-8c3e-4f5a6b7c8d9e --json | jq -r .token`,
    )
    .action(async (id: string, options: RotateOptions, command: Command) => {
      const ctx = Context.of(command);
      const { out } = ctx;
      const client = await ctx.client();
      const rotated = unwrap(
        await client.apiKeys.rotate(id, { gracePeriodSeconds: options.gracePeriod }),
      );
      if (out.json) {
        out.printJson(rotated);
        return;
      }
      out.print(rotated.token);
      out.success(`New key ${rotated.id}: its token, above, is shown this once.`);
      out.info(
        out.errColor.dim(
          `The old key (${rotated.previous.id}) stops working at ${formatDate(rotated.previous.expires_at)}.`,
        ),
      );
    });
}
