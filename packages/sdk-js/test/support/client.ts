import { appendFileSync } from "node:fs";
import { inject } from "vitest";
import {
  type ThriveSend as Client,
  ThriveSend,
  type ThriveSendOptions,
  type ThriveSendSessionOptions,
} from "../../src/index.ts";
import { operationMethods } from "../../src/operations.ts";

/**
 * The live server, shared by every test file. Files send with `apiKey`; only the emails test
 * sends with `otherApiKey` (for its pagination walk, which must see no one else's emails):
 * elsewhere the other organization's key only checks that another tenant gets 404.
 */
export const live = inject("live");

/** The function at a method path (`"webhooks.events.list"`) and the object it belongs to. */
export function methodAt(
  client: Client,
  path: string,
): { owner: Record<string, unknown>; name: string; method: unknown } {
  const parts = path.split(".");
  const name = parts.pop() as string;
  let owner = client as unknown as Record<string, unknown>;
  for (const part of parts) owner = owner[part] as Record<string, unknown>;
  return { owner, name, method: owner?.[name] };
}

/**
 * A client on the live server whose `operationMethods` record each call in the run's call log,
 * which the global teardown checks: every method must have been called by some test.
 */
export function liveClient(
  apiKey: string = live.apiKey,
  options: ThriveSendOptions = {},
): ThriveSend {
  return recorded(new ThriveSend(apiKey, { baseUrl: live.url, ...options }));
}

/** A client on the live server that acts as a person (no API key), recorded like liveClient's. */
export function livePersonClient(options: ThriveSendSessionOptions = {}): ThriveSend {
  return recorded(new ThriveSend({ baseUrl: live.url, ...options }));
}

function recorded(client: ThriveSend): ThriveSend {
  const callLog = inject("callLog");
  for (const path of Object.values(operationMethods)) {
    const { owner, name, method } = methodAt(client, path);
    if (typeof method !== "function") continue;
    owner[name] = (...args: unknown[]) => {
      appendFileSync(callLog, `${path}\n`);
      return method.apply(owner, args);
    };
  }
  return client;
}

/** A unique lowercase name for this run, so files never collide on the shared server. */
export function unique(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `check` until it answers something other than undefined. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
