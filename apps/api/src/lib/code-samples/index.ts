import { callerOf, type SampleSetting, signInExample } from "./caller.ts";
import { curlSample } from "./curl-sample.ts";
import { type CodeSample, HTTP_METHODS, type OpenApiDocumentLike } from "./openapi-types.ts";
import { describeCall } from "./operation-call.ts";
import { pythonSample } from "./python-sample.ts";
import { sdkMethodFor } from "./sdk-methods.ts";
import { typescriptSample } from "./typescript-sample.ts";

/**
 * Adds `x-codeSamples` (cURL, TypeScript with @thrive-send/sdk, Python with thrive_send) to
 * every operation of the document, built from the operation itself: its method and path, the
 * examples of its parameters and body schema, its SDK methods from openapi/sdk-methods.json, and
 * who calls it (caller.ts): an API key's client, or a person's, signed in or not.
 */
export function addCodeSamples<T extends OpenApiDocumentLike>(doc: T): T {
  const baseUrl = doc.servers?.[0]?.url ?? "http://localhost:3000";
  const signIn = signInExample(doc);
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method) || !operation.operationId) continue;
      const call = describeCall(doc, method, path, operation);
      const sdkMethod = sdkMethodFor(operation.operationId);
      const setting: SampleSetting = { baseUrl, caller: callerOf(operation), signIn };
      if (setting.caller === "person" && signIn === undefined) {
        throw new Error(`${operation.operationId} is for people, and the spec has no signIn`);
      }
      operation["x-codeSamples"] = [
        { lang: "Shell", label: "cURL", source: curlSample(call, setting) },
        {
          lang: "TypeScript",
          label: "TypeScript",
          source: typescriptSample(call, sdkMethod.typescript, setting),
        },
        { lang: "Python", label: "Python", source: pythonSample(call, sdkMethod.python, setting) },
      ] satisfies CodeSample[];
    }
  }
  return doc;
}
