import { jsonLiteral, pythonLiteral, typescriptLiteral } from "./literals.ts";
import type { Argument, OperationCall } from "./operation-call.ts";
import type { SdkMethod } from "./sdk-methods.ts";

const MAX_INLINE_CALL = 80;
const PYTHON_KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(
    " ",
  ),
);

function queryString(query: Argument[]): string {
  const search = new URLSearchParams();
  for (const { name, value } of query) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/** `idempotency-key` → `Idempotency-Key`. */
function headerDisplayName(name: string): string {
  return name.replace(
    /(^|-)([a-z])/g,
    (_, dash: string, letter: string) => dash + letter.toUpperCase(),
  );
}

/** `x-batch-validation` → `batchValidation` (TypeScript) or `batch_validation` (Python). */
function optionName(header: string, language: "typescript" | "python"): string {
  const words = header.replace(/^x-/, "").split("-");
  if (language === "python") return words.join("_");
  return words.map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join("");
}

function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

export function curlSample(call: OperationCall, baseUrl: string): string {
  const url = `${baseUrl}${call.path}${queryString(call.query)}`;
  const lines = [
    `curl${call.answers === "event-stream" ? " -N" : ""}${call.method === "GET" ? "" : ` -X ${call.method}`} ${shellQuote(url)}`,
  ];
  if (call.authenticated) lines.push(`-H "Authorization: Bearer $THRIVE_API_KEY"`);
  if (call.body !== undefined) lines.push(`-H 'Content-Type: application/json'`);
  for (const header of call.headers) {
    lines.push(`-H ${shellQuote(`${headerDisplayName(header.name)}: ${String(header.value)}`)}`);
  }
  if (call.body !== undefined) lines.push(`-d ${shellQuote(jsonLiteral(call.body))}`);
  return lines.join(" \\\n  ");
}

/** `f(a, b)` on one line when it fits; otherwise the last argument hugs, or one per line. */
function callExpression(callee: string, args: string[], renderAt: (indent: string) => string[]) {
  const inline = `${callee}(${args.join(", ")})`;
  if (inline.length <= MAX_INLINE_CALL && !inline.includes("\n")) return inline;
  const leading = args.slice(0, -1);
  const last = args.at(-1) ?? "";
  const hugs =
    last.includes("\n") &&
    leading.every((arg) => !arg.includes("\n")) &&
    `${callee}(${leading.join(", ")}`.length < MAX_INLINE_CALL;
  if (hugs) return inline;
  return `${callee}(\n${renderAt("  ")
    .map((arg) => `  ${arg},`)
    .join("\n")}\n)`;
}

export function typescriptSample(
  call: OperationCall,
  method: SdkMethod | null,
  baseUrl: string,
): string {
  if (!method) {
    const url = `${baseUrl}${call.path}${queryString(call.query)}`;
    return [
      `const response = await fetch(${JSON.stringify(url)});`,
      "console.log(await response.json());",
    ].join("\n");
  }
  const argsAt = (indent: string) => {
    const args = call.pathParams.map((param) => typescriptLiteral(String(param.value)));
    if (call.body !== undefined) args.push(typescriptLiteral(call.body, indent));
    else if (call.query.length > 0) args.push(typescriptLiteral(toObject(call.query), indent));
    if (call.headers.length > 0) {
      const options = call.headers.map(({ name, value }) => ({
        name: optionName(name, "typescript"),
        value,
      }));
      args.push(typescriptLiteral(toObject(options), indent));
    }
    return args;
  };
  const expression = callExpression(`thrive.${method.typescript}`, argsAt(""), argsAt);
  const lines = [
    'import { ThriveSend } from "thrive-send";',
    "",
    `const thrive = new ThriveSend(process.env.THRIVE_API_KEY, { baseUrl: ${JSON.stringify(baseUrl)} });`,
    "",
  ];
  if (call.answers === "json") {
    lines.push(
      `const ${call.resultName} = await ${expression};`,
      `console.log(${call.resultName});`,
    );
  } else {
    lines.push(
      `for await (const ${call.resultName} of ${expression}) {`,
      `  console.log(${call.resultName});`,
      "}",
    );
  }
  return lines.join("\n");
}

export function pythonSample(
  call: OperationCall,
  method: SdkMethod | null,
  baseUrl: string,
): string {
  if (!method) {
    const url = `${baseUrl}${call.path}${queryString(call.query)}`;
    return [
      "import httpx",
      "",
      `response = httpx.get(${JSON.stringify(url)})`,
      "print(response.json())",
    ].join("\n");
  }
  const argsAt = (indent: string) => {
    const args = call.pathParams.map((param) => pythonLiteral(String(param.value)));
    if (Array.isArray(call.body)) args.push(pythonLiteral(call.body, indent));
    else if (call.body !== undefined)
      args.push(...keywordArguments(toArguments(call.body), indent));
    args.push(...keywordArguments(call.query, indent));
    const headers = call.headers.map(({ name, value }) => ({
      name: optionName(name, "python"),
      value,
    }));
    args.push(...keywordArguments(headers, indent));
    return args;
  };
  const callee = `client.${method.python}`;
  const oneLine = `${callee}(${argsAt("").join(", ")})`;
  const expression =
    oneLine.length <= MAX_INLINE_CALL && !oneLine.includes("\n")
      ? oneLine
      : `${callee}(\n${argsAt("    ")
          .map((arg) => `    ${arg},`)
          .join("\n")}\n)`;
  const result = snakeCase(call.resultName);
  const lines = [
    "import os",
    "",
    "from thrive_send import Client",
    "",
    `client = Client(api_key=os.environ["THRIVE_API_KEY"], base_url=${JSON.stringify(baseUrl)})`,
    "",
  ];
  if (call.answers === "json") lines.push(`${result} = ${expression}`, `print(${result})`);
  else lines.push(`for ${result} in ${expression}:`, `    print(${result})`);
  return lines.join("\n");
}

function keywordArguments(args: Argument[], indent: string): string[] {
  return args.map(({ name, value }) => {
    const keyword = PYTHON_KEYWORDS.has(name) ? `${name}_` : name;
    return `${keyword}=${pythonLiteral(value, indent)}`;
  });
}

function toObject(args: Argument[]): Record<string, unknown> {
  return Object.fromEntries(args.map(({ name, value }) => [name, value]));
}

function toArguments(value: unknown): Argument[] {
  return Object.entries(value as Record<string, unknown>).map(([name, item]) => ({
    name,
    value: item,
  }));
}
