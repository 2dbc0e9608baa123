import type { SampleSetting } from "./caller.ts";
import { call, type Item, positional, typescriptStatement } from "./layout.ts";
import { typescriptString, typescriptValue } from "./literals.ts";
import { camelCase, headerOption } from "./names.ts";
import type { OperationCall } from "./operation-call.ts";

/**
 * How a method of @thrive-send/sdk takes what the rule does not place. The rule: path
 * parameters first, positionally, in path order; then one object with the body's fields and
 * the query parameters, camelCase (an array body as it is); then the request options, where
 * headers go in camelCase without `x-` (`{ idempotencyKey, batchValidation }`).
 */
interface CallShape {
  /** Path parameters taken in the payload object under these names (Resend's shape). */
  pathParamsInPayload?: Record<string, string>;
  /** Headers taken among the payload's options (`lastEventId`), not the request options. */
  headersInPayload?: boolean;
}

const WEBHOOK_EVENT = { id: "webhookId", event_id: "eventId" };

const CALL_SHAPES: Record<string, CallShape> = {
  "emails.update": { pathParamsInPayload: { id: "id" } },
  "domains.update": { pathParamsInPayload: { id: "id" } },
  "webhooks.events.list": { pathParamsInPayload: { id: "webhookId" } },
  "webhooks.events.get": { pathParamsInPayload: WEBHOOK_EVENT },
  "webhooks.events.replay": { pathParamsInPayload: WEBHOOK_EVENT },
  "webhooks.events.attempts.list": { pathParamsInPayload: WEBHOOK_EVENT },
  "events.stream": { headersInPayload: true },
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The SDK's camelCase option names for the API's fields, at every depth but inside `headers`:
 * those are the caller's MIME headers, which the SDK sends as given.
 */
function camelKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelKeys);
  if (!isRecord(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [
      camelCase(name),
      name === "headers" ? item : camelKeys(item),
    ]),
  );
}

function callArguments(op: OperationCall, method: string): Item[] {
  const shape = CALL_SHAPES[method] ?? {};
  const inPayload = shape.pathParamsInPayload ?? {};
  const args: Item[] = [];
  const payload: [string, unknown][] = [];
  for (const param of op.pathParams) {
    const name = inPayload[param.name];
    if (name) payload.push([name, String(param.value)]);
    else args.push(positional(typescriptString(String(param.value))));
  }
  const options: [string, unknown][] = op.headers.map(({ name, value }) => [
    camelCase(headerOption(name)),
    value,
  ]);
  if (shape.headersInPayload) payload.push(...options.splice(0));
  if (Array.isArray(op.body)) {
    if (payload.length > 0 || op.query.length > 0) {
      throw new Error(`${op.operationId}: an array body leaves no place for other parameters`);
    }
    args.push(positional(typescriptValue(camelKeys(op.body))));
  } else {
    if (op.body !== undefined) payload.push(...Object.entries(camelKeys(op.body) as object));
    payload.push(...op.query.map(({ name, value }): [string, unknown] => [camelCase(name), value]));
    if (payload.length > 0 || options.length > 0) {
      args.push(positional(typescriptValue(Object.fromEntries(payload))));
    }
  }
  if (options.length > 0) args.push(positional(typescriptValue(Object.fromEntries(options))));
  return args;
}

/** What the sample does with the call's data, once `error` is ruled out. */
function useOfData(op: OperationCall): { binding: string; lines: string[] } {
  if (op.answers === "json") return { binding: "data", lines: ["console.log(data);"] };
  // The SDK does not follow the redirect: it answers where a browser would go next.
  if (op.answers === "redirect") return { binding: "data: url", lines: ["console.log(url);"] };
  if (op.answers === "event-stream") {
    return {
      binding: "data: stream",
      lines: [
        "for await (const event of stream) {",
        "  console.log(event.type, event.payload);",
        "}",
      ],
    };
  }
  const csv = op.query.some(({ name, value }) => name === "format" && value === "csv");
  const [rows, row] = csv ? ["csv", "line"] : ["events", "event"];
  return {
    binding: `data: ${rows}`,
    lines: [`for await (const ${row} of ${rows}) {`, `  console.log(${row});`, "}"],
  };
}

/**
 * How the sample makes its client: with an API key (THRIVE_API_KEY), or, options first and no
 * key, as a person, who signs in first when the operation needs a session.
 */
function clientLines(setting: SampleSetting): string[] {
  const baseUrl = typescriptString(setting.baseUrl);
  if (setting.caller === "api_key") {
    return [`const thrive = new ThriveSend(process.env.THRIVE_API_KEY, { baseUrl: ${baseUrl} });`];
  }
  const client = `const thrive = new ThriveSend({ baseUrl: ${baseUrl} });`;
  if (setting.caller === "anyone") return [client];
  return [
    "// People only, not API keys: a person's client keeps the session of its sign-in.",
    client,
    typescriptStatement(
      "await thrive.auth.signIn",
      call([positional(typescriptValue(camelKeys(setting.signIn)))]),
    ),
  ];
}

/**
 * The operation called with @thrive-send/sdk: `{ data, error }` of the method from
 * openapi/sdk-methods.json, called with the operation's example values.
 */
export function typescriptSample(
  op: OperationCall,
  method: string,
  setting: SampleSetting,
): string {
  const { binding, lines } = useOfData(op);
  const statement = typescriptStatement(
    `const { ${binding}, error } = await thrive.${method}`,
    call(callArguments(op, method)),
  );
  return [
    'import { ThriveSend } from "@thrive-send/sdk";',
    "",
    ...clientLines(setting),
    "",
    statement,
    "if (error) {",
    "  console.error(error.name, error.message);",
    "} else {",
    ...lines.map((line) => `  ${line}`),
    "}",
  ].join("\n");
}
