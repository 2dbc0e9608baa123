import autocannon from "autocannon";
import { count } from "./format.ts";
import { Progress } from "./progress.ts";

export interface LoadOptions {
  label: string;
  url: string;
  token: string;
  body: string;
  connections: number;
  durationS: number;
}

export interface LoadResult {
  result: autocannon.Result;
  /** Responses per status code, counted by us (autocannon's own map may omit codes). */
  statuses: Map<number, number>;
}

/**
 * Keeps `connections` keep-alive connections busy POSTing the same body for `durationS`
 * seconds (autocannon, in this process), with a per-second progress line.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const statuses = new Map<number, number>();
    let lastSecond = 0;
    let elapsed = 0;
    const progress = new Progress();
    const instance = autocannon(
      {
        url: options.url,
        method: "POST",
        headers: {
          authorization: `Bearer ${options.token}`,
          "content-type": "application/json",
        },
        body: options.body,
        connections: options.connections,
        duration: options.durationS,
        // A stuck request should show up as a timeout, not silently stall one connection.
        timeout: 30,
      },
      (error: unknown, result: autocannon.Result) => {
        clearInterval(ticker);
        progress.done();
        if (error) reject(error);
        else resolve({ result, statuses });
      },
    );
    instance.on("response", (_client, statusCode) => {
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
      lastSecond += 1;
    });
    const ticker = setInterval(() => {
      elapsed += 1;
      progress.update(
        `${options.label}: ${elapsed}/${options.durationS} s, ${count(lastSecond)} responses in the last second`,
      );
      lastSecond = 0;
    }, 1000);
  });
}

/** Responses with a 2xx status. */
export function acknowledged(statuses: Map<number, number>): number {
  let total = 0;
  for (const [status, n] of statuses) if (status >= 200 && status < 300) total += n;
  return total;
}

/** "200: 1,234  503: 5" */
export function describeStatuses(statuses: Map<number, number>): string {
  return [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, n]) => `${status}: ${count(n)}`)
    .join("  ");
}
