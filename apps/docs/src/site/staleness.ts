import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTENT_DIR, DIST_DIR, SPEC_FILE, STAMP_FILE } from "../paths.ts";

/** What the portal is built from: the guides, the builder and its assets, the spec, the lockfile of its packages. */
const SOURCES = [
  CONTENT_DIR,
  fileURLToPath(new URL("./", import.meta.url)),
  SPEC_FILE,
  fileURLToPath(new URL("../../package.json", import.meta.url)),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stats.mtimeMs,
  );
}

/** True when dist/ has no complete build, or one older than a source. */
export function isPortalStale(distDir: string = DIST_DIR, sources: string[] = SOURCES): boolean {
  const stamp = join(distDir, STAMP_FILE);
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return sources.some((source) => newestMtime(source) > built);
}
