import { exampleValue, isWorthShowing } from "./example-values.ts";
import type { OpenApiDocumentLike, OperationObject, ParameterObject } from "./openapi-types.ts";

export interface Argument {
  name: string;
  value: unknown;
}

/** One call of an operation, as every language's sample makes it. */
export interface OperationCall {
  operationId: string;
  method: string;
  /** The path with its parameters filled in. */
  path: string;
  pathParams: Argument[];
  query: Argument[];
  headers: Argument[];
  /** The JSON body; undefined when the operation takes none (or an optional one is empty). */
  body: unknown;
  authenticated: boolean;
  /** The documented success statuses (2xx). */
  successStatuses: number[];
  /**
   * What the success response is: JSON, an event stream, another stream (NDJSON, CSV), or a
   * redirect (an operation answering only 3xx: the SDKs answer its Location).
   */
  answers: "json" | "event-stream" | "stream" | "redirect";
  /** The success response's schema, by name (`Email`), when it is a named JSON one. */
  resultSchema: string | undefined;
}

function parameterValue(param: ParameterObject): unknown {
  return param.example ?? param.schema?.example ?? `<${param.name}>`;
}

function isShown(doc: OpenApiDocumentLike, param: ParameterObject): boolean {
  if (param.required) return true;
  if (!param.schema) return false;
  return isWorthShowing(doc, { ...param.schema, example: param.example ?? param.schema.example });
}

export function describeCall(
  doc: OpenApiDocumentLike,
  method: string,
  pathTemplate: string,
  operation: OperationObject,
): OperationCall {
  const params = operation.parameters ?? [];
  const pathParams = params
    .filter((param) => param.in === "path")
    .map((param) => ({ name: param.name, value: parameterValue(param) }))
    .sort((a, b) => pathTemplate.indexOf(`{${a.name}}`) - pathTemplate.indexOf(`{${b.name}}`));
  const shown = (where: ParameterObject["in"]) =>
    params
      .filter((param) => param.in === where && isShown(doc, param))
      .map((param) => ({ name: param.name, value: parameterValue(param) }));

  const path = pathParams.reduce(
    (filled, param) => filled.replace(`{${param.name}}`, encodeURIComponent(String(param.value))),
    pathTemplate,
  );

  const bodySchema = operation.requestBody?.content?.["application/json"]?.schema;
  let body = bodySchema ? exampleValue(doc, bodySchema) : undefined;
  if (!operation.requestBody?.required && isEmptyObject(body)) body = undefined;

  const successes = Object.entries(operation.responses ?? {}).filter(([status]) =>
    status.startsWith("2"),
  );
  const success = successes[0]?.[1];
  const contentTypes = Object.keys(success?.content ?? {});
  const jsonSchema = success?.content?.["application/json"]?.schema;
  const redirects = Object.keys(operation.responses ?? {}).some((status) => status.startsWith("3"));
  const answers =
    successes.length === 0 && redirects
      ? "redirect"
      : contentTypes.includes("application/json")
        ? "json"
        : contentTypes.includes("text/event-stream")
          ? "event-stream"
          : "stream";

  return {
    operationId: operation.operationId ?? `${method}${pathTemplate}`,
    method: method.toUpperCase(),
    path,
    pathParams,
    query: shown("query"),
    headers: shown("header"),
    body,
    authenticated: (operation.security?.length ?? 0) > 0,
    successStatuses: successes.map(([status]) => Number(status)),
    answers,
    resultSchema: schemaName(doc, jsonSchema?.$ref),
  };
}

function schemaName(doc: OpenApiDocumentLike, ref: string | undefined): string | undefined {
  const name = ref?.replace("#/components/schemas/", "");
  return name && doc.components?.schemas?.[name] ? name : undefined;
}

function isEmptyObject(value: unknown): boolean {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length === 0
  );
}
