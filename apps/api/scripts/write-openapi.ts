import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { renderOpenApiDocument } from "../src/lib/openapi-file.ts";

// `pnpm openapi`: writes openapi/openapi.json from the routes.
const target = fileURLToPath(new URL("../../../openapi/openapi.json", import.meta.url));
await writeFile(target, renderOpenApiDocument());
console.log(`wrote ${target}`);
process.exit(0);
