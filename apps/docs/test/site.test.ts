import { cp, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Parser } from "htmlparser2";
import MiniSearch from "minisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_DIR, SPEC_FILE, STAMP_FILE } from "../src/paths.ts";
import { type BuildResult, buildSite } from "../src/site/build.ts";
import { checkLinks } from "../src/site/link-check.ts";
import { ALL_PAGES } from "../src/site/pages.ts";
import { SCALAR_SCRIPT } from "../src/site/reference-page.ts";
import type { SearchDocument } from "../src/site/search-index.ts";
import { isPortalStale } from "../src/site/staleness.ts";

let outDir: string;
let result: BuildResult;
const temporary: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "thrive-docs-"));
  temporary.push(dir);
  return dir;
}

beforeAll(async () => {
  outDir = await tempDir();
  result = await buildSite({ outDir });
});
afterAll(async () => {
  await Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("the docs portal build", () => {
  it("builds every page of the navigation with no broken link or anchor", async () => {
    expect(result.problems).toEqual([]);
    for (const page of ALL_PAGES) {
      const html = await readFile(join(outDir, page.path), "utf8");
      expect(html, page.path).toContain('<nav class="site-nav"');
      expect(html, page.path).toContain(`aria-current="page">${page.label}</a>`);
    }
    // Guides link to each other and into the operations page by anchor; all were checked.
    const webhooks = await readFile(join(outDir, "guides/webhooks.html"), "utf8");
    expect(webhooks).toContain('href="../operations.html#events"');
    expect(webhooks).toContain('<h2 id="verify-the-signature"');
  });

  it("renders the guides' code highlighted and their .md links as .html", async () => {
    const html = await readFile(join(outDir, "getting-started.html"), "utf8");
    expect(html).toContain('<span class="hljs-keyword">import</span>');
    expect(html).toContain('href="guides/domains.html"');
    expect(html).not.toMatch(/href="[^"]*\.md[#"]/);
  });

  it("indexes every guide section and every operation for search", async () => {
    const { options, index } = JSON.parse(
      await readFile(join(outDir, "search-index.json"), "utf8"),
    ) as { options: { fields: string[]; storeFields: string[] }; index: object };
    const search = MiniSearch.loadJS<SearchDocument>(index as never, options);
    const urls = new Set(result.searchDocuments.map((doc) => doc.url.split("#")[0]));
    for (const page of ALL_PAGES.filter((entry) => entry.source)) {
      expect(urls.has(page.path), `${page.path} is not in the search index`).toBe(true);
    }
    const spec = JSON.parse(await readFile(SPEC_FILE, "utf8")) as {
      paths: Record<string, Record<string, { operationId: string }>>;
    };
    for (const operation of Object.values(spec.paths).flatMap((item) => Object.values(item))) {
      expect(urls.has("operations.html"), operation.operationId).toBe(true);
      expect(
        result.searchDocuments.some(
          (doc) => doc.url === `operations.html#${operation.operationId}`,
        ),
      ).toBe(true);
    }
    const top = (query: string) => search.search(query, { prefix: true })[0]?.url;
    expect(top("Idempotent-Replayed")).toBe("guides/idempotency.html#what-the-server-does-with-it");
    expect(top("standardwebhooks")).toMatch(/^guides\/webhooks\.html/);
    expect(top("X-Batch-Validation permissive")).toMatch(/^guides\/batch\.html/);
    expect(top("temporary_failure")).toMatch(/^guides\/domains\.html/);
  });

  it("serves the API reference from the site itself: local spec, local Scalar, no other host", async () => {
    const html = await readFile(join(outDir, "reference.html"), "utf8");
    const urls: string[] = [];
    const parser = new Parser({
      onopentag(_name, attributes) {
        urls.push(...Object.values(attributes).filter((value) => /https?:\/\//i.test(value)));
      },
      ontext(text) {
        urls.push(...(text.match(/https?:\/\/[^\s"'`)]+/gi) ?? []));
      },
    });
    parser.write(html);
    parser.end();
    expect(urls).toEqual([]);
    expect(html).toContain(`<script src="./${SCALAR_SCRIPT}"></script>`);
    expect(html).toContain('"url":"./openapi.json"');
    expect(html).toContain('"withDefaultFonts":false');
    expect(await readFile(join(outDir, "openapi.json"), "utf8")).toBe(
      await readFile(SPEC_FILE, "utf8"),
    );
    const scalar = await readFile(join(outDir, SCALAR_SCRIPT), "utf8");
    expect(scalar).toContain("createApiReference");
  });

  it("shows every operation's cURL, TypeScript and Python sample on the operations page", async () => {
    const html = await readFile(join(outDir, "operations.html"), "utf8");
    expect(html).toContain('<article class="operation" id="sendEmail">');
    expect(html).toContain("thrive.emails.send(");
    expect(html).toContain("client.emails.send(");
    expect(html.match(/<p class="sample-label">/g)?.length).toBe(
      3 * result.searchDocuments.filter((doc) => doc.url.startsWith("operations.html#")).length,
    );
  });

  it("names the SDKs as this repository builds them, not as packages it has never published", async () => {
    const pages = await Promise.all(
      ALL_PAGES.filter((page) => page.source).map((page) =>
        readFile(join(outDir, page.path), "utf8"),
      ),
    );
    const text = pages.join("\n").replace(/<[^>]+>/g, "");
    expect(text).toContain("npm install ~/thrive-send/dist/thrive-send-sdk-0.1.0.tgz");
    expect(text).toContain("pip install ./packages/sdk-python");
    expect(text).not.toMatch(
      /npm install thrive-send|pip install thrive-send|&quot;thrive-send&quot;/,
    );
    const operations = await readFile(join(outDir, "operations.html"), "utf8");
    expect(operations.replace(/<[^>]+>/g, "")).toContain("&quot;@thrive-send/sdk&quot;");
  });

  it("fails on a broken link or anchor in a guide", async () => {
    const contentDir = await tempDir();
    await cp(CONTENT_DIR, contentDir, { recursive: true });
    const errors = join(contentDir, "guides/errors.md");
    await writeFile(
      errors,
      `${await readFile(errors, "utf8")}\n[gone](missing.md) [no anchor](webhooks.md#nowhere) [op](../operations.html#noSuchOperation)\n`,
    );
    await writeFile(join(contentDir, "guides/orphan.md"), "# Orphan\n");
    const broken = await buildSite({ outDir: await tempDir(), contentDir });
    expect(broken.problems).toEqual([
      "content/guides/orphan.md: not in the navigation (src/site/pages.ts)",
      "guides/errors.html: missing.html: no such file",
      'guides/errors.html: webhooks.html#nowhere: no element with id "nowhere"',
      'guides/errors.html: ../operations.html#noSuchOperation: no element with id "noSuchOperation"',
    ]);
  });
});

describe("checkLinks", () => {
  it("accepts what exists, reports the rest, and keeps links that leave the site apart", async () => {
    const site = await tempDir();
    await writeFile(
      join(site, "index.html"),
      `<a id="top" href="#top">top</a><a href="page.html#here">ok</a><a href="./">dir</a>
       <a href="/absolute.html">abs</a><a href="../outside.html">out</a><a href="#nope">x</a>
       <img src="missing.png"><a href="https://example.com/">ext</a><a href="javascript:void(0)">js</a>
       <a href="page.html#there">y</a><a href="data.json#key">z</a>`,
    );
    await writeFile(join(site, "page.html"), '<h2 id="here">Here</h2>');
    await writeFile(join(site, "data.json"), "{}");
    const { problems, external } = await checkLinks(site);
    expect(problems).toEqual([
      "index.html: /absolute.html: absolute path (the site must work under any prefix)",
      "index.html: ../outside.html: leaves the site",
      'index.html: #nope: no element with id "nope"',
      "index.html: missing.png: no such file",
      "index.html: javascript:void(0): a scheme other than http(s) or mailto",
      'index.html: page.html#there: no element with id "there"',
      "index.html: data.json#key: an anchor into a file that is not an HTML page",
    ]);
    expect(external).toEqual(["https://example.com/"]);
  });
});

describe("isPortalStale", () => {
  it("asks for a build when there is none, or when a source is newer than it", async () => {
    const dist = await tempDir();
    const source = await tempDir();
    await writeFile(join(source, "guide.md"), "# Guide\n");
    expect(isPortalStale(dist, [source])).toBe(true);
    await writeFile(join(dist, STAMP_FILE), "built\n");
    const past = new Date(Date.now() - 60_000);
    await utimes(join(source, "guide.md"), past, past);
    await utimes(source, past, past);
    expect(isPortalStale(dist, [source])).toBe(false);
    await writeFile(join(source, "guide.md"), "# Guide, edited\n");
    expect(isPortalStale(dist, [source])).toBe(true);
    // The real build leaves its stamp, so a second `pnpm dev` skips it.
    expect(isPortalStale(outDir, [CONTENT_DIR])).toBe(false);
  });
});
