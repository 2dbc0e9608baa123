import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "./openapi-file.ts";
import { linksTo } from "./openapi-links.ts";

interface Operation {
  operationId: string;
  parameters?: { name: string; in: string }[];
  responses: Record<
    string,
    {
      links?: Record<string, { operationId: string; parameters: Record<string, string> }>;
      content?: Record<string, { schema: unknown }>;
    }
  >;
}

const spec = JSON.parse(renderOpenApiDocument()) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown> };
};
const operations = Object.values(spec.paths).flatMap((methods) => Object.values(methods));
const byId = new Map(operations.map((operation) => [operation.operationId, operation]));

/** The schema at a JSON pointer of a response body's schema (`/data/0/id`), or undefined. */
function schemaAt(schema: unknown, pointer: string[]): unknown {
  let node = schema as Record<string, unknown> | undefined;
  for (const segment of pointer) {
    while (node && typeof node.$ref === "string") {
      node = spec.components.schemas[node.$ref.split("/").at(-1) ?? ""] as typeof node;
    }
    if (!node) return undefined;
    node = (
      /^\d+$/.test(segment) ? node.items : (node.properties as Record<string, unknown>)?.[segment]
    ) as typeof node;
  }
  return node;
}

const links = operations.flatMap((operation) =>
  Object.entries(operation.responses).flatMap(([status, response]) =>
    Object.entries(response.links ?? {}).map(([name, link]) => ({
      from: operation,
      status,
      response,
      name,
      link,
    })),
  ),
);

describe("the spec's links", () => {
  it("chain the resources: each create leads to its reads, changes and deletion", () => {
    expect(links.length).toBeGreaterThan(25);
    const targets = (operationId: string) =>
      links
        .filter((entry) => entry.from.operationId === operationId)
        .map((e) => e.link.operationId);
    expect(targets("createDomain")).toEqual(
      expect.arrayContaining(["getDomain", "updateDomain", "verifyDomain", "deleteDomain"]),
    );
    expect(targets("createWebhook")).toEqual(
      expect.arrayContaining(["getWebhook", "updateWebhook", "deleteWebhook"]),
    );
    expect(targets("sendEmail")).toEqual(
      expect.arrayContaining(["getEmail", "updateEmail", "cancelEmail", "listEvents"]),
    );
    expect(targets("createApiKey")).toEqual(["rotateApiKey", "deleteApiKey"]);
  });

  it.each(links.map((entry) => [`${entry.from.operationId} ${entry.name}`, entry]))(
    "%s names a real operation, its parameters and a field of the response",
    (_, { status, response, link }) => {
      const target = byId.get(link.operationId);
      expect(target, link.operationId).toBeDefined();
      const parameterNames = (target?.parameters ?? []).map((parameter) => parameter.name);
      for (const [parameter, expression] of Object.entries(link.parameters)) {
        expect(parameterNames).toContain(parameter);
        const body = /^\$response\.body#\/(.+)$/.exec(expression);
        if (body?.[1]) {
          const schema = response.content?.["application/json"]?.schema;
          expect(schemaAt(schema, body[1].split("/")), `${status} ${expression}`).toBeDefined();
        } else {
          expect(expression).toMatch(/^\$request\.path\.\w+$/);
        }
      }
    },
  );
});

describe("linksTo", () => {
  it("names each link after its target and says what it passes", () => {
    expect(linksTo(["getDomain"], { id: "$response.body#/id" })).toEqual({
      GetDomain: {
        operationId: "getDomain",
        parameters: { id: "$response.body#/id" },
        description: "getDomain with `id` = `$response.body#/id`.",
      },
    });
  });
});
