import { readFileSync } from "node:fs";
import { InvalidArgumentError } from "commander";

/** Commander's collector for a repeatable option: `--to a --to b` gives `["a", "b"]`. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Addresses from repeated options and comma lists: `--to a@x.dev,b@x.dev --to c@x.dev`. A
 * comma inside quotes or angle brackets (`"Doe, Jane" <jane@x.dev>`) does not split.
 */
export function splitAddresses(values: readonly string[] = []): string[] {
  const addresses: string[] = [];
  for (const value of values) {
    let current = "";
    let quoted = false;
    let angle = 0;
    for (const char of value) {
      if (char === '"') quoted = !quoted;
      else if (!quoted && char === "<") angle += 1;
      else if (!quoted && char === ">") angle = Math.max(0, angle - 1);
      if (char === "," && !quoted && angle === 0) {
        addresses.push(current);
        current = "";
      } else {
        current += char;
      }
    }
    addresses.push(current);
  }
  return addresses.map((address) => address.trim()).filter((address) => address !== "");
}

/**
 * An option's content as curl takes it: `@path` reads a file, `@-` reads stdin, `@@text` is the
 * literal `@text`, anything else is itself. A commander argument parser: a file that cannot be
 * read is reported as a bad argument of its option.
 */
export function content(value: string): string {
  if (value.startsWith("@@")) return value.slice(1);
  if (!value.startsWith("@")) return value;
  const path = value.slice(1);
  try {
    return readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(
      code === "ENOENT" ? `no such file: ${path}` : `cannot read ${path} (${code ?? error})`,
    );
  }
}

/** `name=value` (a tag), split on the first `=`. */
export function parseTag(value: string, previous: { name: string; value: string }[] = []) {
  const at = value.indexOf("=");
  if (at <= 0) throw new InvalidArgumentError("expected name=value");
  return [...previous, { name: value.slice(0, at), value: value.slice(at + 1) }];
}

/** A parser for an integer option within bounds. */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!/^\d+$/.test(value.trim()) || number < min || number > max) {
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    }
    return number;
  };
}

/** Event types from repeated options and comma lists; `email.*` matches every email event. */
export function typeMatcher(values: readonly string[] = []): (type: string) => boolean {
  const patterns = values.flatMap((value) => value.split(",")).map((value) => value.trim());
  const wanted = patterns.filter((pattern) => pattern !== "");
  if (wanted.length === 0) return () => true;
  return (type) =>
    wanted.some((pattern) =>
      pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : type === pattern,
    );
}

/** A parser for a date-time option: ISO 8601 (`2026-11-30`, `2026-11-30T10:00:00Z`). */
export function dateTime(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError("expected an ISO 8601 date or time, e.g. 2026-11-30T10:00:00Z");
  }
  // A bare date is the start of that day, UTC, which the API's date-times need spelled out.
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
}

/** A parser for a day option: `2026-11-30`. */
export function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError("expected a date, e.g. 2026-11-30");
  }
  return value;
}
