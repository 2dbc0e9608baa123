import { readFileSync } from "node:fs";

// Linux /proc readers; they return undefined elsewhere rather than failing the bench.

/** Clock ticks per second of /proc/<pid>/stat times; 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;

/** User + system CPU seconds the process has used so far. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces; the fields after its ")" are fixed.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** VmHWM ("high water mark") of /proc/<pid>/status: the peak RSS over the process's life. */
export function peakRssBytes(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kib ? Number(kib) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds all cores spent busy (not idle or waiting for I/O) since boot. */
export function machineBusySeconds(): number | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const ticks = line.trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((sum, n) => sum + n, 0);
    return (total - (ticks[3] ?? 0) - (ticks[4] ?? 0)) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/**
 * Measures CPU seconds used by each named process, and by the whole machine, across a phase:
 * it shows where the cores went (the machine's busy time the processes do not account for
 * went mostly to PostgreSQL, or to whatever else runs on the machine).
 */
export function cpuMeter(pids: Record<string, number>): () => string {
  const read = () => [...Object.values(pids).map(cpuSeconds), machineBusySeconds()];
  const names = [...Object.keys(pids), "whole machine"];
  const before = read();
  return () => {
    const after = read();
    return names
      .map((name, i) => {
        const start = before[i];
        const end = after[i];
        return `${name} ${start === undefined || end === undefined ? "?" : (end - start).toFixed(1)} s`;
      })
      .join(", ");
  };
}
