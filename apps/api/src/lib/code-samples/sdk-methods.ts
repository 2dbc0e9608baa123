import map from "../../../../../openapi/sdk-methods.json" with { type: "json" };

/**
 * Where an operation lives in the SDKs, as a path from the client: `webhooks.events.attempts.list`
 * is `thrive.webhooks.events.attempts.list` (TypeScript), `webhooks.events.attempts` is
 * `client.webhooks.events.attempts` (Python).
 */
export interface SdkMethod {
  typescript: string;
  python: string;
}

const OPERATIONS: Record<string, SdkMethod> = map.operations;

/**
 * The SDK methods of an operation, from openapi/sdk-methods.json. An operation missing from the
 * map is a mistake, not a default: each SDK's tests compare their own map with that file.
 */
export function sdkMethodFor(operationId: string): SdkMethod {
  const method = OPERATIONS[operationId];
  if (method === undefined) {
    throw new Error(`openapi/sdk-methods.json has no entry for the operation "${operationId}"`);
  }
  return method;
}

export function sdkMethodMap(): Readonly<Record<string, SdkMethod>> {
  return OPERATIONS;
}
