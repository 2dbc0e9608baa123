import type { Command } from "commander";
import { Webhook } from "standardwebhooks";
import { Context } from "../context.ts";
import { followEvents } from "../follow.ts";
import { colorEvent, formatClock } from "../format.ts";
import { type ForwardResult, forwardEvent, isSigningSecret, newSigningSecret } from "../forward.ts";
import type { Colors } from "../output.ts";
import { collect, integer, typeMatcher } from "../values.ts";

interface ListenOptions {
  forwardTo: string;
  events?: string[];
  secret?: string;
  after?: string;
  timeout: number;
}

function statusText(c: Colors, result: ForwardResult): string {
  if (result.status === null) return c.red(`[ERR] ${result.error}`);
  const text = `[${result.status}]`;
  return result.status >= 200 && result.status < 300 ? c.green(text) : c.red(text);
}

export function registerListen(program: Command): void {
  program
    .command("listen")
    .description(
      "forward events to a local URL as signed webhook requests, until Ctrl-C (like `stripe listen`)",
    )
    .requiredOption("--forward-to <url>", "the local URL to POST each event to")
    .option(
      "--events <types>",
      "only these types: repeat the option or separate with commas; email.* matches every email event",
      collect,
    )
    .option("--secret <whsec>", "the signing secret to use (default: a new one, printed at start)")
    .option("--after <event-id>", "first replay the events recorded after this one")
    .option("--timeout <seconds>", "how long the local server has to answer", integer(1, 300), 10)
    .addHelpText(
      "after",
      `
Each event's payload ({type, created_at, data}) is POSTed as JSON with the headers of
Thrive-Send's webhooks: webhook-id (the event id), webhook-timestamp and webhook-signature,
and their svix-* aliases, signed with the secret printed at start: verify them with
thrive.webhooks.verify, or the svix or standardwebhooks packages. A local server that fails
or is down is reported and listening goes on; a dropped stream resumes where it stopped.

Example:
  thrive listen --forward-to http://localhost:3000/webhooks/thrive --events 'email.*'`,
    )
    .action(async (options: ListenOptions, command: Command) => {
      const target = parseTarget(options.forwardTo);
      if (!target) command.error("error: --forward-to must be an http:// or https:// URL");
      if (options.secret !== undefined && !isSigningSecret(options.secret)) {
        command.error("error: --secret must be a signing secret: whsec_ and base64");
      }
      const ctx = Context.of(command);
      const { out } = ctx;
      const secret = options.secret ?? newSigningSecret();
      const signer = new Webhook(secret);
      const wanted = typeMatcher(options.events);
      const { baseUrl } = await ctx.credentials();
      await followEvents(ctx, {
        after: options.after,
        onReady: () => {
          if (out.json) {
            out.printNdjson({ object: "listener", base_url: baseUrl, forward_to: target, secret });
          }
          const c = out.errColor;
          out.info(`${c.green(">")} Ready! Forwarding events from ${baseUrl} to ${c.bold(target)}`);
          out.info(
            `${c.green(">")} Your webhook signing secret is ${c.bold(secret)} (Ctrl-C to stop)`,
          );
        },
        onEvent: async (event, signal) => {
          if (!wanted(event.type)) return;
          const result = await forwardEvent({
            url: target,
            signer,
            event,
            timeoutMs: options.timeout * 1000,
            signal,
          });
          if (signal.aborted) return;
          if (out.json) {
            out.printNdjson({
              object: "forward",
              event_id: event.id,
              type: event.type,
              status: result.status,
              duration_ms: result.durationMs,
              ...(result.error ? { error: result.error } : {}),
            });
            return;
          }
          const c = out.color;
          out.print(
            [
              c.dim(formatClock(new Date(), true)),
              colorEvent(c, event.type) + " ".repeat(Math.max(0, 24 - event.type.length)),
              event.id,
              `→ POST ${target}`,
              statusText(c, result),
              c.dim(`${result.durationMs} ms`),
            ].join("  "),
          );
        },
      });
    });
}

function parseTarget(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}
