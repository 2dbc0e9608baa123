export interface OpenApiLink {
  operationId: string;
  parameters: Record<string, string>;
  description: string;
}

/**
 * OpenAPI `links` of a response: which operations take a value it carries, as their path or
 * query parameters. Clients and tools read them to chain calls (schemathesis' stateful phase
 * creates an object, then reads, changes and deletes that very object).
 *
 * `parameters` maps each target's parameter to a runtime expression, `$response.body#/id` by
 * default; a link is named after its target operation.
 */
export function linksTo(
  operationIds: string[],
  parameters: Record<string, string> = { id: "$response.body#/id" },
): Record<string, OpenApiLink> {
  const uses = Object.entries(parameters)
    .map(([name, expression]) => `\`${name}\` = \`${expression}\``)
    .join(", ");
  return Object.fromEntries(
    operationIds.map((operationId) => [
      operationId.charAt(0).toUpperCase() + operationId.slice(1),
      { operationId, parameters, description: `${operationId} with ${uses}.` },
    ]),
  );
}
