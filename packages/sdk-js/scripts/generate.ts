/** `pnpm generate`: writes src/generated/openapi.ts from openapi/openapi.json. */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generateTypes, TYPES_URL } from "./openapi-types.ts";

await writeFile(TYPES_URL, await generateTypes());
process.stdout.write(`wrote ${fileURLToPath(TYPES_URL)}\n`);
