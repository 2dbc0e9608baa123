import { readFile, writeFile } from "node:fs/promises";
import { COLLECTION_FILE, ENVIRONMENT_FILE, SPEC_FILE } from "../src/paths.ts";
import {
  generatePostmanCollection,
  renderCollection,
  renderEnvironment,
} from "../src/postman/collection.ts";

// `pnpm openapi` (after the spec): writes the Postman collection and environment from the spec.
const collection = await generatePostmanCollection(await readFile(SPEC_FILE, "utf8"));
await writeFile(COLLECTION_FILE, renderCollection(collection));
await writeFile(ENVIRONMENT_FILE, renderEnvironment());
console.log(`wrote ${COLLECTION_FILE}\nwrote ${ENVIRONMENT_FILE}`);
