import { curlSample } from "./curl-sample.ts";
import { type CodeSample, HTTP_METHODS, type OpenApiDocumentLike } from "./openapi-types.ts";
import { describeCall } from "./operation-call.ts";
import { pythonSample } from "./python-sample.ts";
import { sdkMethodFor } from "./sdk-methods.ts";
import { typescriptSample } from "./typescript-sample.ts";

/**
 * Adds `x-codeSamples` (cURL, TypeScript with @thrive-send/sdk, Python with thrive_send) to
 * every operation of the document, built from the operation itself: its method and path, the
 * examples of its parameters and body schema, and its SDK methods from openapi/sdk-methods.json.
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
          source: typescriptSample(call, sdkMethod.typescript, baseUrl),
        },
        { lang: "Python", label: "Python", source: pythonSample(call, sdkMethod.python, baseUrl) },
      ] satisfies CodeSample[];
    }
  }
  return doc;
}
