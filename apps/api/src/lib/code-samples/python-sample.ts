import type { SampleSetting } from "./caller.ts";
import { call, type Item, positional, pythonStatement } from "./layout.ts";
import { pythonString, pythonValue } from "./literals.ts";
import { headerOption, snakeCase, variableName } from "./names.ts";
import type { OperationCall } from "./operation-call.ts";

/**
 * How a method of thrive_send takes what the rule does not place. The rule: path parameters
 * first, positionally, in path order; then the body as it goes on the wire (a dict, or a list
 * of them), positionally; then the query parameters as keywords of their own names, and the
 * headers as snake_case keywords without `x-` (`idempotency_key=`).
 */
interface CallShape {
  /** Headers taken as keywords of other names. */
  headerKeywords?: Record<string, string>;
  /** Arguments before the path parameters. */
  leadingArguments?: (op: OperationCall) => string[];
}

const CALL_SHAPES: Record<string, CallShape> = {
  "batch.send": { headerKeywords: { "x-batch-validation": "validation" } },
  // Python's export writes to a file (`iter_export` is the one that iterates).
  "events.export": {
    leadingArguments: (op) => [
      `events.${op.query.find((param) => param.name === "format")?.value ?? "ndjson"}`,
    ],
  },
};

function callArguments(op: OperationCall, method: string): Item[] {
  const shape = CALL_SHAPES[method] ?? {};
  const args = [
    ...(shape.leadingArguments?.(op) ?? []),
    ...op.pathParams.map((param) => String(param.value)),
  ].map((text) => positional(pythonString(text)));
  if (op.body !== undefined) args.push(positional(pythonValue(op.body)));
  for (const { name, value } of op.query) {
    args.push({ prefix: `${name}=`, value: pythonValue(value) });
  }
  for (const { name, value } of op.headers) {
    const keyword = shape.headerKeywords?.[name] ?? snakeCase(headerOption(name));
    args.push({ prefix: `${keyword}=`, value: pythonValue(value) });
  }
  return args;
}

/**
 * How the sample makes its client: with an API key ($THRIVE_API_KEY), or as a person
 * (`session=True`), who signs in first when the operation needs a session.
 */
function clientLines(setting: SampleSetting): string[] {
  const baseUrl = pythonString(setting.baseUrl);
  if (setting.caller === "api_key") {
    return [`client = Client(api_key=os.environ["THRIVE_API_KEY"], base_url=${baseUrl})`];
  }
  const client = `client = Client(base_url=${baseUrl}, session=True)`;
  if (setting.caller === "anyone") return [client];
  return [
    "# People only, not API keys: a person's client keeps the session of its sign-in.",
    client,
    pythonStatement("client.auth.sign_in", call([positional(pythonValue(setting.signIn))])),
  ];
}

/**
 * The operation called with thrive_send: the method from openapi/sdk-methods.json, called with
 * the operation's example values, answering the model named after the response's schema.
 */
export function pythonSample(op: OperationCall, method: string, setting: SampleSetting): string {
  const invocation = call(callArguments(op, method));
  const callee = `client.${method}`;
  const imports = [
    ...(setting.caller === "api_key" ? ["import os", ""] : []),
    "from thrive_send import Client",
  ];
  let body: string[];
  if (op.answers === "event-stream") {
    body = [
      pythonStatement(`with ${callee}`, invocation, " as stream:"),
      "    for event in stream:",
      "        print(event.type, event.payload)",
    ];
  } else if (op.answers === "stream") {
    body = [pythonStatement(`path = ${callee}`, invocation), 'print(f"Exported to {path}")'];
  } else if (op.answers === "redirect") {
    // Not followed: the SDK answers where a browser would go next.
    body = [pythonStatement(`url = ${callee}`, invocation), "print(url)"];
  } else if (op.resultSchema) {
    const result = variableName(op.resultSchema, "python");
    imports.push(`from thrive_send.models import ${op.resultSchema}`);
    body = [
      pythonStatement(`${result}: ${op.resultSchema} = ${callee}`, invocation),
      `print(${result})`,
    ];
  } else {
    body = [pythonStatement(`result = ${callee}`, invocation), "print(result)"];
  }
  return [...imports, "", ...clientLines(setting), "", ...body].join("\n");
}
