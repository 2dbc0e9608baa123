import { copyFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { OpenApiDocumentLike } from "../../../api/src/lib/code-samples/openapi-types.ts";
import { CONTENT_DIR, DIST_DIR, SPEC_FILE, STAMP_FILE } from "../paths.ts";
import { layout } from "./layout.ts";
import { checkLinks } from "./link-check.ts";
import { createMarkdown, sectionsOf } from "./markdown.ts";
import { operationsOf, operationsPage } from "./operations-page.ts";
import { ALL_PAGES, OPERATIONS_PAGE, REFERENCE_PAGE, rootOf } from "./pages.ts";
import { REFERENCE_HEAD, referenceBody, SCALAR_SCRIPT } from "./reference-page.ts";
import { buildSearchIndex, excerptOf, type SearchDocument } from "./search-index.ts";

const fromHere = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/** Files copied as they are: the site's own assets and the browser bundles it uses. */
const ASSETS: Record<string, string> = {
  "assets/site.css": fromHere("assets/site.css"),
  "assets/search.js": fromHere("assets/search.js"),
  "assets/highlight.css": fromHere("../../node_modules/highlight.js/styles/github.css"),
  "assets/minisearch.js": fromHere("../../node_modules/minisearch/dist/es/index.js"),
  [SCALAR_SCRIPT]: fromHere("../../node_modules/@scalar/api-reference/dist/browser/standalone.js"),
};

export interface BuildResult {
  pages: string[];
  searchDocuments: SearchDocument[];
  problems: string[];
  externalLinks: string[];
}

/**
 * Builds the portal into `outDir`: the Markdown guides in the shared layout, the operations
 * page and the Scalar reference from the spec, the search index, the assets. Returns the
 * broken links (and other problems) it found in the output; the caller fails on any.
 */
export async function buildSite({
  outDir = DIST_DIR,
  contentDir = CONTENT_DIR,
}: {
  outDir?: string;
  contentDir?: string;
} = {}): Promise<BuildResult> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const md = createMarkdown();
  const specText = await readFile(SPEC_FILE, "utf8");
  const spec = JSON.parse(specText) as OpenApiDocumentLike;
  const problems: string[] = [];
  const documents: SearchDocument[] = [];
  const write = async (path: string, content: string) => {
    await mkdir(dirname(join(outDir, path)), { recursive: true });
    await writeFile(join(outDir, path), content);
  };

  for (const page of ALL_PAGES) {
    if (!page.source) continue;
    const source = await readFile(join(contentDir, page.source), "utf8");
    const { title, sections } = sectionsOf(md, source);
    if (!title) problems.push(`${page.source}: no "# " title`);
    await write(page.path, layout({ path: page.path, title, body: md.render(source) }));
    for (const section of sections) {
      documents.push({
        id: `${page.path}#${section.id}`,
        title,
        heading: section.heading,
        text: section.text,
        url: section.id ? `${page.path}#${section.id}` : page.path,
        excerpt: excerptOf(section.text),
      });
    }
  }
  problems.push(...(await orphanSources(contentDir)));

  await write(
    OPERATIONS_PAGE,
    layout({ path: OPERATIONS_PAGE, title: "Operations", body: operationsPage(spec, md) }),
  );
  for (const entry of operationsOf(spec)) {
    const description = String(entry.operation.description ?? "");
    documents.push({
      id: `${OPERATIONS_PAGE}#${entry.operationId}`,
      title: entry.operation.summary ?? entry.operationId,
      heading: `${entry.method} ${entry.path}`,
      text: `${description} ${entry.operationId} ${entry.tag}`,
      url: `${OPERATIONS_PAGE}#${entry.operationId}`,
      excerpt: excerptOf(description),
    });
  }
  await write(
    REFERENCE_PAGE,
    layout({
      path: REFERENCE_PAGE,
      title: "API reference",
      body: referenceBody(rootOf(REFERENCE_PAGE)),
      head: REFERENCE_HEAD,
      wide: true,
    }),
  );
  await write("openapi.json", specText);
  await write("search-index.json", buildSearchIndex(documents));
  for (const [target, source] of Object.entries(ASSETS)) {
    await mkdir(dirname(join(outDir, target)), { recursive: true });
    await copyFile(source, join(outDir, target));
  }

  const links = await checkLinks(outDir);
  problems.push(...links.problems);
  if (problems.length === 0) await write(STAMP_FILE, `${new Date().toISOString()}\n`);
  return {
    pages: ALL_PAGES.map((page) => page.path),
    searchDocuments: documents,
    problems,
    externalLinks: links.external,
  };
}

/** A Markdown file under content/ that no navigation entry publishes is a mistake. */
async function orphanSources(contentDir: string): Promise<string[]> {
  const entries = await readdir(contentDir, { recursive: true, withFileTypes: true });
  const published = new Set(ALL_PAGES.map((page) => page.source));
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".md"))
    .map((entry) => relative(contentDir, join(entry.parentPath, entry.name)))
    .filter((source) => !published.has(source))
    .map((source) => `content/${source}: not in the navigation (src/site/pages.ts)`);
}
