import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../lib/openapi-document.ts";
import { startTestApi, type TestApi } from "../test/harness.ts";

/**
 * Every string and array a client can send has a maximum in the spec (so in the validation):
 * request bodies, query and path parameters, headers. A string whose format or enum bounds it
 * (uuid, date-time, an enum) needs none.
 */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

type Schema = Record<string, unknown>;

const BOUNDED_FORMATS = new Set(["uuid", "date-time", "date", "email"]);

function unbounded(
  schema: unknown,
  path: string,
  refs: Schema,
  seen = new Set<unknown>(),
): string[] {
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const node = schema as Schema;
  if (typeof node.$ref === "string") {
    const name = node.$ref.split("/").at(-1) ?? "";
    return unbounded(refs[name], path, refs, seen);
  }
  const problems: string[] = [];
  const types = Array.isArray(node.type) ? node.type : [node.type];
  if (
    types.includes("string") &&
    node.maxLength === undefined &&
    node.enum === undefined &&
    node.const === undefined &&
    !BOUNDED_FORMATS.has(node.format as string)
  ) {
    problems.push(`${path}: string without maxLength`);
  }
  if (types.includes("array") && node.maxItems === undefined) {
    problems.push(`${path}: array without maxItems`);
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    for (const [index, option] of ((node[key] as unknown[]) ?? []).entries()) {
      problems.push(...unbounded(option, `${path}(${key}${index})`, refs, seen));
    }
  }
  for (const [name, property] of Object.entries((node.properties as Schema) ?? {})) {
    problems.push(...unbounded(property, `${path}.${name}`, refs, seen));
  }
  problems.push(...unbounded(node.items, `${path}[]`, refs, seen));
  if (typeof node.additionalProperties === "object") {
    problems.push(...unbounded(node.additionalProperties, `${path}{}`, refs, seen));
    if (node.maxProperties === undefined) problems.push(`${path}: object without maxProperties`);
  }
  return problems;
}

describe("request size limits", () => {
  it("bound every string and array of every request", () => {
    const spec = openApiDocument(api.app) as unknown as {
      paths: Record<string, Record<string, Schema>>;
      components: { schemas: Schema };
    };
    const refs = spec.components.schemas;
    const problems: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const label = `${method.toUpperCase()} ${path}`;
        for (const parameter of (operation.parameters as Schema[]) ?? []) {
          problems.push(
            ...unbounded(parameter.schema, `${label} ${parameter.in} ${parameter.name}`, refs),
          );
        }
        const content = (operation.requestBody as Schema | undefined)?.content as
          | Record<string, Schema>
          | undefined;
        for (const [type, media] of Object.entries(content ?? {})) {
          problems.push(...unbounded(media.schema, `${label} body (${type})`, refs));
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
