// Lays out the calls of the samples as the formatters their readers use would: biome (prettier's
// rules) for TypeScript, ruff format (black's) for Python. The SDK packages' tests run those
// formatters over the samples, so a layout that strays from theirs fails there.

/** A piece of source: an atom, or a bracketed list a formatter may break one item a line. */
export type Code = string | Brackets;

export interface Brackets {
  kind: "call" | "array" | "object";
  items: Item[];
}

/** One item of a list: `key: ` or `keyword=` before its value, or nothing. */
export interface Item {
  prefix: string;
  value: Code;
}

const BRACKETS = { call: ["(", ")"], array: ["[", "]"], object: ["{", "}"] } as const;

interface Style {
  width: number;
  unit: string;
  /** `{ a: 1 }` (prettier) or `{a: 1}`. */
  spacedObjects: boolean;
}

const TYPESCRIPT_STYLE: Style = { width: 100, unit: "  ", spacedObjects: true };
const PYTHON_STYLE: Style = { width: 88, unit: "    ", spacedObjects: false };

function flat(code: Code, style: Style): string {
  if (typeof code === "string") return code;
  const [open, close] = BRACKETS[code.kind];
  const body = code.items.map((item) => item.prefix + flat(item.value, style)).join(", ");
  if (code.kind === "object" && style.spacedObjects && body) return `${open} ${body} ${close}`;
  return `${open}${body}${close}`;
}

function isBrackets(code: Code, kind?: Brackets["kind"]): code is Brackets {
  return typeof code !== "string" && (kind === undefined || code.kind === kind);
}

function brokenItems(code: Brackets, style: Style, indent: string): string {
  const inner = indent + style.unit;
  const lines = code.items.map(
    (item) =>
      `${inner}${item.prefix}${print(item.value, style, inner, inner.length + item.prefix.length, 1)},`,
  );
  const [open, close] = BRACKETS[code.kind];
  return `${open}\n${lines.join("\n")}\n${indent}${close}`;
}

// Prettier breaks an array of two or more objects (or arrays) of two or more items each, even
// when it would fit on one line, and so whatever holds it.
function mustBreak(code: Code): boolean {
  if (typeof code === "string") return false;
  if (code.items.some((item) => mustBreak(item.value))) return true;
  if (code.kind !== "array" || code.items.length < 2) return false;
  const kinds = code.items.map((item) => (isBrackets(item.value) ? item.value.kind : undefined));
  return code.items.every(
    (item, i) =>
      isBrackets(item.value) &&
      item.value.kind !== "call" &&
      item.value.items.length > 1 &&
      kinds[i] === kinds[0],
  );
}

/**
 * Prettier: a call whose arguments do not fit keeps them on its line and breaks its last one
 * when that is an object or array (not following one of the same kind) whose opening fits.
 */
function huggedCall(code: Brackets, indent: string, before: number): string | undefined {
  const last = code.items.at(-1);
  const penultimate = code.items.at(-2);
  if (!last || !isBrackets(last.value) || last.value.kind === "call") return undefined;
  if (penultimate && isBrackets(penultimate.value, last.value.kind)) return undefined;
  if (code.items.slice(0, -1).some((item) => mustBreak(item.value))) return undefined;
  const leading = code.items
    .slice(0, -1)
    .map((item) => `${item.prefix}${flat(item.value, TYPESCRIPT_STYLE)}, `)
    .join("");
  const head = `(${leading}${last.prefix}`;
  if (before + head.length + 1 > TYPESCRIPT_STYLE.width) return undefined;
  return `${head}${brokenItems(last.value, TYPESCRIPT_STYLE, indent)})`;
}

/**
 * `code` laid out from column `before` on a line indented by `indent`, with `after` more
 * characters to follow its end on the same line (`;`, `,`).
 */
function print(code: Code, style: Style, indent: string, before: number, after: number): string {
  if (typeof code === "string") return code;
  const oneLine = flat(code, style);
  const forced = style === TYPESCRIPT_STYLE && mustBreak(code);
  if ((before + oneLine.length + after <= style.width && !forced) || code.items.length === 0) {
    return oneLine;
  }
  if (style === TYPESCRIPT_STYLE) {
    const hugged = code.kind === "call" ? huggedCall(code, indent, before) : undefined;
    return hugged ?? brokenItems(code, style, indent);
  }
  // Black: the items on one line of their own when they fit there, else one a line (with a
  // trailing comma when there are several).
  const [open, close] = BRACKETS[code.kind];
  const inner = indent + style.unit;
  const body = code.items.map((item) => item.prefix + flat(item.value, style)).join(", ");
  if (inner.length + body.length <= style.width)
    return `${open}\n${inner}${body}\n${indent}${close}`;
  const [only] = code.items;
  if (code.items.length === 1 && only) {
    const value = print(only.value, style, inner, inner.length + only.prefix.length, 0);
    return `${open}\n${inner}${only.prefix}${value}\n${indent}${close}`;
  }
  return brokenItems(code, style, indent);
}

/** `head` followed by `code` (and `tail`), as one TypeScript statement at the top level. */
export function typescriptStatement(head: string, code: Code, tail = ";"): string {
  return `${head}${print(code, TYPESCRIPT_STYLE, "", head.length, tail.length)}${tail}`;
}

/** `head` followed by `code` (and `tail`), as one Python statement at `indent`. */
export function pythonStatement(head: string, code: Code, tail = "", indent = ""): string {
  const before = indent.length + head.length;
  return `${indent}${head}${print(code, PYTHON_STYLE, indent, before, tail.length)}${tail}`;
}

export function call(items: Item[]): Brackets {
  return { kind: "call", items };
}

export function positional(value: Code): Item {
  return { prefix: "", value };
}
