import { fileURLToPath } from "node:url";

const at = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

export const REPO_ROOT = at("../../../");
export const SPEC_FILE = at("../../../openapi/openapi.json");
export const COLLECTION_FILE = at("../../../openapi/thrive-send.postman_collection.json");
export const ENVIRONMENT_FILE = at("../../../openapi/thrive-send.postman_environment.json");
export const CONTENT_DIR = at("../content/");
export const DIST_DIR = at("../dist/");

/** Written last by a build without problems: `pnpm dev` rebuilds when a source is newer. */
export const STAMP_FILE = ".build-stamp";
