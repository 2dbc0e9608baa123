import { readFile } from "node:fs/promises";
import openapiTS, { astToString, COMMENT_HEADER } from "openapi-typescript";

/** The spec the SDK is generated from, and the file its types are written to. */
export const SPEC_URL = new URL("../../../openapi/openapi.json", import.meta.url);
export const TYPES_URL = new URL("../src/generated/openapi.ts", import.meta.url);

/**
 * The TypeScript types of the spec, as `pnpm generate` writes them. One function for the
 * script and the test that fails when the checked-in file is stale, so both agree to the byte.
 */
export async function generateTypes(specUrl: URL = SPEC_URL): Promise<string> {
  const spec = JSON.parse(await readFile(specUrl, "utf8"));
  // Read from the parsed object, not the path: no network and no $ref outside this file.
  // Fields with a default stay optional: these types describe request bodies too.
  const ast = await openapiTS(spec, { silent: true, defaultNonNullable: false });
  return `${COMMENT_HEADER}${astToString(ast)}`;
}
