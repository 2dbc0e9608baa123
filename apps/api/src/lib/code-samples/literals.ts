import type { Code } from "./layout.ts";

// Source-code literals of the examples' JSON values. Quotes as the formatters choose them:
// double, unless the text has more double quotes than single ones.

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function quoted(text: string): string {
  const json = JSON.stringify(text);
  const doubles = text.split('"').length - 1;
  const singles = text.split("'").length - 1;
  if (doubles <= singles) return json;
  return `'${json.slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

export const typescriptString = quoted;
export const pythonString = quoted;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function typescriptValue(value: unknown): Code {
  if (typeof value === "string") return typescriptString(value);
  if (Array.isArray(value)) {
    return {
      kind: "array",
      items: value.map((item) => ({ prefix: "", value: typescriptValue(item) })),
    };
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(([name, item]) => ({
      prefix: `${IDENTIFIER.test(name) ? name : typescriptString(name)}: `,
      value: typescriptValue(item),
    }));
    return { kind: "object", items };
  }
  return String(value);
}

export function pythonValue(value: unknown): Code {
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) {
    return {
      kind: "array",
      items: value.map((item) => ({ prefix: "", value: pythonValue(item) })),
    };
  }
  if (isRecord(value)) {
    const items = Object.entries(value).map(([name, item]) => ({
      prefix: `${pythonString(name)}: `,
      value: pythonValue(item),
    }));
    return { kind: "object", items };
  }
  if (value === null || value === undefined) return "None";
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/** JSON as a person would write it in a request: short arrays and objects stay on one line. */
export function jsonLiteral(value: unknown, indent = ""): string {
  if (!isRecord(value) && !Array.isArray(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  const items = Array.isArray(value)
    ? value.map((item) => jsonLiteral(item, inner))
    : Object.entries(value).map(
        ([name, item]) => `${JSON.stringify(name)}: ${jsonLiteral(item, inner)}`,
      );
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  const inline = `${open}${items.join(", ")}${close}`;
  if (inline.length <= 60 && !inline.includes("\n")) return inline;
  return `${open}\n${items.map((item) => `${inner}${item}`).join(",\n")}\n${indent}${close}`;
}
