import map from "../../../../../openapi/sdk-methods.json" with { type: "json" };

/** Where an operation lives in the SDKs: `emails.send` (Node), `emails.send` (Python). */
export interface SdkMethod {
  typescript: string;
  python: string;
}

const OPERATIONS: Record<string, SdkMethod | null> = map.operations;

/**
 * The SDK method of an operation, from openapi/sdk-methods.json: null for an operation the SDKs
 * leave out (health checks). An operation missing from the map is a mistake, not a default:
 * SDK authors check their method names against that file.
 */
export function sdkMethodFor(operationId: string): SdkMethod | null {
  const method = OPERATIONS[operationId];
  if (method === undefined) {
    throw new Error(`openapi/sdk-methods.json has no entry for the operation "${operationId}"`);
  }
  return method;
}

export function sdkMethodMap(): Readonly<Record<string, SdkMethod | null>> {
  return OPERATIONS;
}
