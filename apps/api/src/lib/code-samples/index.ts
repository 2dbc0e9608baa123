import { type CodeSample, HTTP_METHODS, type OpenApiDocumentLike } from "./openapi-types.ts";
import { describeCall } from "./operation-call.ts";
import { curlSample, pythonSample, typescriptSample } from "./render-samples.ts";
import { sdkMethodFor } from "./sdk-methods.ts";

/**
 * Adds `x-codeSamples` (cURL, TypeScript with the Node SDK, Python with the Python SDK) to every
 * operation of the document, built from the operation itself: its method and path, the examples
 * of its parameters and body schema, and its SDK method from openapi/sdk-methods.json.
 */
export function addCodeSamples<T extends OpenApiDocumentLike>(doc: T): T {
  const baseUrl = doc.servers?.[0]?.url ?? "http://localhost:3000";
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method) || !operation.operationId) continue;
      const call = describeCall(doc, method, path, operation);
      const sdkMethod = sdkMethodFor(operation.operationId);
      operation["x-codeSamples"] = [
        { lang: "Shell", label: "cURL", source: curlSample(call, baseUrl) },
        {
          lang: "TypeScript",
          label: "TypeScript",
          source: typescriptSample(call, sdkMethod, baseUrl),
        },
        { lang: "Python", label: "Python", source: pythonSample(call, sdkMethod, baseUrl) },
      ] satisfies CodeSample[];
    }
  }
  return doc;
}
