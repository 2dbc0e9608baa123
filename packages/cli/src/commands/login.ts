import type { Command } from "commander";
import { readConfig, removeConfig, writeConfig } from "../config-store.ts";
import { Context, DEFAULT_BASE_URL, newClient, normalizeBaseUrl } from "../context.ts";
import { apiError } from "../errors.ts";
import { askApiKey, keyHint } from "../prompt.ts";

type Permission = "full_access" | "sending_access";

/**
 * What the key may do. GET /domains needs `domains:read`, which every full-access key has; a
 * sending-access key is refused with `restricted_api_key`, which still proves it valid.
 */
async function checkKey(apiKey: string, baseUrl: string): Promise<Permission> {
  const client = newClient(apiKey, baseUrl, { maxRetries: 1, timeout: 15_000 });
  const { error } = await client.domains.list({ limit: 1 });
  if (!error) return "full_access";
  if (error.name === "restricted_api_key") return "sending_access";
  throw apiError(error);
}

export function registerLogin(program: Command): void {
  program
    .command("login")
    .description("check an API key against the API and store it for the other commands")
    .addHelpText(
      "after",
      `
The key comes from --api-key, THRIVE_API_KEY, or a hidden prompt (or stdin when it is not a
terminal). It is stored with the base URL in $XDG_CONFIG_HOME/thrive/config.json (else
~/.config/thrive/config.json), readable by you only. A sending-access key is stored too, with
a warning: it can only \`thrive send\`.`,
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const { out } = ctx;
      const stored = await readConfig(ctx.configPath).catch(() => undefined);
      const baseUrl = normalizeBaseUrl(ctx.options.baseUrl || stored?.baseUrl || DEFAULT_BASE_URL);
      const apiKey = ctx.options.apiKey || (await askApiKey());
      const permission = await checkKey(apiKey, baseUrl);
      await writeConfig(ctx.configPath, { apiKey, baseUrl });
      if (out.json) {
        out.printJson({ base_url: baseUrl, permission, config_path: ctx.configPath });
        return;
      }
      out.success(
        `Logged in to ${baseUrl} with ${keyHint(apiKey)} (${permission.replace("_", " ")}). Saved in ${ctx.configPath}.`,
      );
      if (permission === "sending_access") {
        out.warn(
          "This key can only send emails: `thrive send` works, other commands answer restricted_api_key.",
        );
      }
    });

  program
    .command("logout")
    .description("forget the stored API key")
    .action(async (_options: unknown, command: Command) => {
      const ctx = Context.of(command);
      const removed = await removeConfig(ctx.configPath);
      if (ctx.out.json) {
        ctx.out.printJson({ logged_out: removed, config_path: ctx.configPath });
      } else if (removed) {
        ctx.out.success(`Logged out: removed ${ctx.configPath}.`);
      } else {
        ctx.out.info(`Not logged in (no ${ctx.configPath}).`);
      }
    });
}
