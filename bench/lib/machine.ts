import { cpus, loadavg, totalmem } from "node:os";
import { gib, num } from "./format.ts";

/** What the numbers were measured on; they mean little without it. */
export function machineRows(postgresVersion: string, postgresSource: string): [string, string][] {
  const processors = cpus();
  return [
    ["cpus", `${processors.length} × ${processors[0]?.model.trim() ?? "unknown"}`],
    ["memory", gib(totalmem())],
    // Anything else running on the machine skews the numbers; this shows whether it was busy.
    ["load average", `${loadavg().map(num).join(" ")} (1, 5, 15 min, at start)`],
    ["node", process.version],
    ["postgres", postgresVersion],
    ["postgres server", postgresSource],
  ];
}
