import { promisify } from "node:util";
import { convertV2 } from "openapi-to-postmanv2";
import type {
  OpenApiDocumentLike,
  OperationObject,
} from "../../../api/src/lib/code-samples/openapi-types.ts";
// The request bodies and parameters come from the same builder as the spec's code samples, so
// the collection sends what the reference shows.
import {
  describeCall,
  type OperationCall,
} from "../../../api/src/lib/code-samples/operation-call.ts";
import {
  type Collection,
  type Folder,
  isFolder,
  type RequestItem,
  type Script,
} from "./collection-types.ts";
import { COLLECTION_VARIABLES, FLOW, PATH_VARIABLES, type Step } from "./flow.ts";
import { KEEP_SESSION_COOKIES } from "./session-scripts.ts";

// A fixed id: Postman recognizes a re-imported collection as the same one.
const COLLECTION_ID = "5b0f3c1e-7a52-4e8d-9c61-2f4d8a7b9e30";

interface Operation {
  method: string;
  path: string;
  operation: OperationObject;
}

/**
 * The Postman collection of the spec: converted by openapi-to-postmanv2 (names, descriptions,
 * URLs, headers), then made runnable and deterministic: requests in the order of FLOW, bodies
 * from the schemas' examples, ids chained through variables, a status test on every request.
 */
export async function generatePostmanCollection(specText: string): Promise<Collection> {
  const spec = JSON.parse(specText) as OpenApiDocumentLike;
  const converted = await promisify(convertV2)(
    { type: "string", data: specText },
    {
      folderStrategy: "Tags",
      requestNameSource: "Fallback",
      parametersResolution: "Example",
      // Random values would change the file on every generation; bodies come from the examples.
      schemaFaker: false,
      alwaysInheritAuthentication: true,
      includeWebhooks: false,
    },
  );
  if (!converted?.result || !converted.output?.[0]) {
    throw new Error(`openapi-to-postmanv2 failed: ${converted?.reason ?? "no output"}`);
  }
  const raw = converted.output[0].data as Collection;
  const requests = new Map(allRequests(raw.item).map((item) => [requestKey(item), item]));
  const operations = operationsById(spec);

  const folders = new Map<string, Folder>();
  for (const step of FLOW) {
    const found = operations.get(step.operationId);
    if (!found) throw new Error(`FLOW names ${step.operationId}, which the spec does not have`);
    const item = requests.get(`${found.method.toUpperCase()} ${found.path}`);
    if (!item) throw new Error(`openapi-to-postmanv2 gave no request for ${step.operationId}`);
    const folderName =
      step.folder ?? (found.operation.tags as string[] | undefined)?.[0] ?? "Other";
    const folder = folders.get(folderName) ?? { id: slug(folderName), name: folderName, item: [] };
    folders.set(folderName, folder);
    const call = describeCall(spec, found.method, found.path, found.operation);
    folder.item.push(runnableRequest(item, step, found.operation, call));
  }
  const unplaced = [...operations.keys()].filter(
    (id) => !FLOW.some((step) => step.operationId === id),
  );
  if (unplaced.length > 0) {
    throw new Error(
      `Operations missing from FLOW (apps/docs/src/postman/flow.ts): ${unplaced.join(", ")}`,
    );
  }

  return {
    info: {
      _postman_id: COLLECTION_ID,
      name: raw.info.name,
      description: raw.info.description,
      schema: raw.info.schema,
    },
    item: [...folders.values()],
    auth: { type: "bearer", bearer: [{ key: "token", value: "{{api_key}}", type: "string" }] },
    variable: Object.entries(COLLECTION_VARIABLES).map(([key, value]) => ({ key, value })),
  };
}

function runnableRequest(
  item: RequestItem,
  step: Step,
  operation: OperationObject,
  call: OperationCall,
): RequestItem {
  const { request } = item;
  request.url.host = ["{{base_url}}"];
  for (const variable of request.url.variable ?? []) {
    variable.value = `{{${pathVariable(call, variable.key, request.url.path)}}}`;
  }
  // Optional parameters stay in the request, disabled, except those the code samples show;
  // one without an example is left empty (the converter would make up a value each time).
  for (const param of request.url.query ?? []) {
    const shown = call.query.find((query) => query.name === param.key);
    const declared = operation.parameters?.find((p) => p.in === "query" && p.name === param.key);
    const patched = step.query?.[param.key];
    if (patched !== undefined) {
      param.value = patched ?? "";
      if (patched === null) param.disabled = true;
      else delete param.disabled;
    } else if (shown) {
      param.value = Array.isArray(shown.value) ? String(shown.value[0]) : String(shown.value);
      delete param.disabled;
    } else {
      param.disabled = true;
      if ((declared?.example ?? declared?.schema?.example) === undefined) param.value = "";
    }
  }
  // Optional headers (Idempotency-Key, X-Batch-Validation) are there to switch on by hand: a
  // fixed idempotency key would answer 409 to the next run's different body.
  for (const header of request.header ?? []) {
    const declared = operation.parameters?.find(
      (p) => p.in === "header" && p.name.toLowerCase() === header.key.toLowerCase(),
    );
    if (declared && !declared.required) {
      header.disabled = true;
      // As for queries: the converter would make up a new value each time.
      if ((declared.example ?? declared.schema?.example) === undefined) header.value = "";
    }
  }
  const body = call.body === undefined ? undefined : withPatch(call.body, step.body);
  if (body === undefined) {
    delete request.body;
    request.header = (request.header ?? []).filter((header) => header.key !== "Content-Type");
  } else {
    request.body = {
      mode: "raw",
      raw: JSON.stringify(body, null, 2),
      options: { raw: { language: "json" } },
    };
  }
  if (step.session) {
    request.auth = { type: "noauth" };
    if (step.session === "send")
      request.header = [...(request.header ?? []), ...sessionHeaders(call)];
  } else if (call.authenticated) delete request.auth;
  else request.auth = { type: "noauth" };

  const events: Script[] = [];
  if (step.prerequest) events.push(script("prerequest", step.prerequest));
  events.push(
    script("test", [
      ...(step.refusal ? refusalTest(step.refusal) : statusTest(successStatuses(call, operation))),
      ...storeLines(step),
      ...(step.test ?? []),
      ...(step.session ? KEEP_SESSION_COOKIES : []),
    ]),
  );
  const settings = {
    ...(item.protocolProfileBehavior as Record<string, unknown> | undefined),
    // The session travels in variables (session-scripts.ts), not in Postman's cookie jar.
    ...(step.session ? { disableCookies: true } : {}),
    ...step.settings,
  };
  return {
    id: call.operationId,
    name: item.name,
    request,
    response: [],
    event: events,
    ...(Object.keys(settings).length > 0 ? { protocolProfileBehavior: settings } : {}),
  };
}

/** The console's credentials: the session cookie, and the CSRF token on changes. */
function sessionHeaders(call: OperationCall) {
  const headers = [{ key: "Cookie", value: "{{session_cookie}}" }];
  if (!["GET", "HEAD"].includes(call.method)) {
    headers.push({ key: "X-CSRF-Token", value: "{{csrf_token}}" });
  }
  return headers;
}

function refusalTest(refusal: NonNullable<Step["refusal"]>): string[] {
  return [
    `pm.test("refused as expected (${refusal.because}): ${refusal.status} ${refusal.name}", function () {`,
    `  pm.expect(pm.response.code).to.equal(${refusal.status});`,
    `  pm.expect(pm.response.json().name).to.equal("${refusal.name}");`,
    "});",
  ];
}

/** The documented 2xx statuses; a redirect's 3xx for an operation that only redirects. */
function successStatuses(call: OperationCall, operation: OperationObject): number[] {
  if (call.successStatuses.length > 0) return call.successStatuses;
  return Object.keys(operation.responses ?? {})
    .filter((status) => status.startsWith("3"))
    .map(Number);
}

function statusTest(statuses: number[]): string[] {
  return [
    `pm.test("status is ${statuses.join(" or ")}", function () {`,
    `  pm.expect(pm.response.code).to.be.oneOf(${JSON.stringify(statuses)});`,
    "});",
  ];
}

function storeLines(step: Step): string[] {
  const entries = Object.entries(step.store ?? {});
  if (entries.length === 0) return [];
  return [
    "if (pm.response.code < 300) {",
    "  const body = pm.response.json();",
    ...entries.map(
      ([variable, field]) => `  pm.collectionVariables.set("${variable}", body.${field});`,
    ),
    "}",
  ];
}

function pathVariable(call: OperationCall, name: string, segments: string[]): string {
  const index = segments.indexOf(`:${name}`);
  const prefix = `/${segments
    .slice(0, index + 1)
    .map((segment) => segment.replace(/^:(.+)$/, "{$1}"))
    .join("/")}`;
  const variable = PATH_VARIABLES[prefix];
  if (!variable) {
    throw new Error(`${call.operationId}: no collection variable for ${prefix} in PATH_VARIABLES`);
  }
  return variable;
}

function withPatch(body: unknown, patch: Record<string, unknown> | undefined): unknown {
  if (!patch) return body;
  if (Array.isArray(body) || typeof body !== "object" || body === null) {
    throw new Error("Only an object body can be patched");
  }
  return { ...body, ...patch };
}

function script(listen: Script["listen"], exec: string[]): Script {
  return { listen, script: { type: "text/javascript", exec } };
}

function allRequests(items: (Folder | RequestItem)[]): RequestItem[] {
  return items.flatMap((item) => (isFolder(item) ? allRequests(item.item) : [item]));
}

function requestKey(item: RequestItem): string {
  const path = item.request.url.path.map((segment) => segment.replace(/^:(.+)$/, "{$1}"));
  return `${item.request.method.toUpperCase()} /${path.join("/")}`;
}

function operationsById(spec: OpenApiDocumentLike): Map<string, Operation> {
  const byId = new Map<string, Operation>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation.operationId) byId.set(operation.operationId, { method, path, operation });
    }
  }
  return byId;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** The file as checked in: stable key order, two-space indent, a final newline. */
export function renderCollection(collection: Collection): string {
  return `${JSON.stringify(collection, null, 2)}\n`;
}

/** An environment for a local server: base_url and the API key `pnpm dev` prints. */
export function renderEnvironment(): string {
  const environment = {
    id: "0c7e2d4a-9b3f-4e61-8a5d-1f2e3d4c5b6a",
    name: "Thrive-Send (local)",
    values: [
      { key: "base_url", value: COLLECTION_VARIABLES.base_url, type: "default", enabled: true },
      { key: "api_key", value: "", type: "secret", enabled: true },
    ],
    _postman_variable_scope: "environment",
  };
  return `${JSON.stringify(environment, null, 2)}\n`;
}
