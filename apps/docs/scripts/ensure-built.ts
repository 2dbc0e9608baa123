import { DIST_DIR } from "../src/paths.ts";
import { isPortalStale } from "../src/site/staleness.ts";

// Run by `pnpm dev` before it starts: builds the portal only when dist/ is missing or older
// than its sources, so that a start with nothing changed costs a few file stats.
if (isPortalStale()) {
  const started = Date.now();
  // Loaded only when needed: the Markdown and highlighting libraries take longer to load than
  // the staleness check takes to run.
  const { buildSite } = await import("../src/site/build.ts");
  const result = await buildSite({ outDir: DIST_DIR });
  if (result.problems.length > 0) {
    console.error(`docs portal: ${result.problems.length} problem(s), run its build for details`);
    process.exit(1);
  }
  console.log(`docs portal built in ${Date.now() - started} ms`);
}
