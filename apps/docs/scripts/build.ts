import { DIST_DIR } from "../src/paths.ts";
import { buildSite } from "../src/site/build.ts";

// `pnpm --filter @thrive-send/docs build`: the portal into apps/docs/dist; fails on a broken link.
const started = Date.now();
const result = await buildSite({ outDir: DIST_DIR });
if (result.problems.length > 0) {
  console.error(`The docs have ${result.problems.length} problem(s):`);
  for (const problem of result.problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `built ${result.pages.length} pages and ${result.searchDocuments.length} search entries into ${DIST_DIR} in ${Date.now() - started} ms`,
);
