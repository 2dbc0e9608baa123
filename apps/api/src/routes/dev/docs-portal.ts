import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { App } from "../../lib/app-env.ts";

/** Where `pnpm --filter @thrive-send/docs build` writes the portal. */
export const DOCS_PORTAL_DIR = fileURLToPath(new URL("../../../../docs/dist/", import.meta.url));
export const DOCS_PORTAL_PATH = "/docs-portal";

/**
 * Dev mode only: the docs portal (guides, operations, the Scalar reference) as built into
 * apps/docs/dist, under /docs-portal/. Its links are relative, so the trailing slash matters:
 * /docs-portal redirects to /docs-portal/. Nothing is registered when the portal is not built.
 */
export function registerDocsPortal(app: App, dir: string = DOCS_PORTAL_DIR): boolean {
  if (!existsSync(dir)) return false;
  app.get(DOCS_PORTAL_PATH, (c) => c.redirect(`${DOCS_PORTAL_PATH}/`, 301));
  app.use(
    `${DOCS_PORTAL_PATH}/*`,
    serveStatic({
      root: dir,
      rewriteRequestPath: (path) => path.slice(DOCS_PORTAL_PATH.length),
    }),
  );
  return true;
}
