// Source-code literals of JSON values, laid out as a formatter would (biome for TypeScript,
// black for Python): one item per line once a value does not fit on one short line.

const MAX_INLINE = 60;
const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

interface Syntax {
  string(value: string): string;
  key(name: string): string;
  keyValue: string;
  braces: [string, string];
  unit: string;
  trailingComma: boolean;
  scalar(value: boolean | number | null): string;
}

const TYPESCRIPT: Syntax = {
  string: (value) => JSON.stringify(value),
  key: (name) => (IDENTIFIER.test(name) ? name : JSON.stringify(name)),
  keyValue: ": ",
  braces: ["{ ", " }"],
  unit: "  ",
  trailingComma: true,
  scalar: (value) => String(value),
};

const PYTHON: Syntax = {
  string: (value) => JSON.stringify(value),
  key: (name) => JSON.stringify(name),
  keyValue: ": ",
  braces: ["{", "}"],
  unit: "    ",
  trailingComma: true,
  scalar: (value) =>
    value === null ? "None" : value === true ? "True" : value === false ? "False" : String(value),
};

const JSON_TEXT: Syntax = {
  ...PYTHON,
  unit: "  ",
  trailingComma: false,
  scalar: (value) => JSON.stringify(value),
};

function render(value: unknown, syntax: Syntax, indent: string): string {
  if (typeof value === "string") return syntax.string(value);
  if (value === null || typeof value === "boolean" || typeof value === "number") {
    return syntax.scalar(value);
  }
  const inner = `${indent}${syntax.unit}`;
  if (Array.isArray(value)) {
    const items = value.map((item) => render(item, syntax, inner));
    const inline = `[${items.join(", ")}]`;
    if (inline.length <= MAX_INLINE && !inline.includes("\n")) return inline;
    return `[\n${lines(items, syntax, inner)}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([name, item]) => `${syntax.key(name)}${syntax.keyValue}${render(item, syntax, inner)}`,
  );
  if (entries.length === 0) return "{}";
  const inline = `${syntax.braces[0]}${entries.join(", ")}${syntax.braces[1]}`;
  if (inline.length <= MAX_INLINE && !inline.includes("\n")) return inline;
  return `{\n${lines(entries, syntax, inner)}\n${indent}}`;
}

function lines(items: string[], syntax: Syntax, indent: string): string {
  const body = items.map((item) => `${indent}${item}`).join(",\n");
  return syntax.trailingComma ? `${body},` : body;
}

export function typescriptLiteral(value: unknown, indent = ""): string {
  return render(value, TYPESCRIPT, indent);
}

export function pythonLiteral(value: unknown, indent = ""): string {
  return render(value, PYTHON, indent);
}

/** JSON as a person would write it in a request: short arrays and objects stay on one line. */
export function jsonLiteral(value: unknown): string {
  return render(value, JSON_TEXT, "");
}
