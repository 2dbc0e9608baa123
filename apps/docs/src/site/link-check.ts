import { existsSync, statSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { Parser } from "htmlparser2";

const LINK_ATTRIBUTES: Record<string, string[]> = {
  a: ["href"],
  link: ["href"],
  script: ["src"],
  img: ["src"],
  iframe: ["src"],
  source: ["src"],
};

interface PageLinks {
  ids: Set<string>;
  links: string[];
}

function parsePage(html: string): PageLinks {
  const ids = new Set<string>();
  const links: string[] = [];
  const parser = new Parser({
    onopentag(name, attributes) {
      if (attributes.id) ids.add(attributes.id);
      if (name === "a" && attributes.name) ids.add(attributes.name);
      for (const attribute of LINK_ATTRIBUTES[name] ?? []) {
        const value = attributes[attribute];
        if (value !== undefined) links.push(value);
      }
    },
  });
  parser.write(html);
  parser.end();
  return { ids, links };
}

async function htmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Every href and src of the site's pages that points into the site must name a file that
 * exists and, with a `#fragment`, an element with that id. Links that leave the site
 * (http(s):, mailto:) are returned apart: they cannot be checked offline. Returns the
 * problems, one line each (`page: link: why`).
 */
export async function checkLinks(
  siteDir: string,
): Promise<{ problems: string[]; external: string[] }> {
  const root = resolve(siteDir);
  const files = await htmlFiles(root);
  const pages = new Map<string, PageLinks>();
  for (const file of files) pages.set(file, parsePage(await readFile(file, "utf8")));

  const problems: string[] = [];
  const external = new Set<string>();
  for (const [file, { links }] of pages) {
    const from = relative(root, file);
    for (const link of links) {
      if (/^(https?:|mailto:)/i.test(link) || link.startsWith("//")) {
        external.add(link);
        continue;
      }
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) {
        problems.push(`${from}: ${link}: a scheme other than http(s) or mailto`);
        continue;
      }
      const [pathPart = "", fragment] = link.split("#", 2);
      const path = pathPart.split("?")[0] ?? "";
      if (path.startsWith("/")) {
        problems.push(`${from}: ${link}: absolute path (the site must work under any prefix)`);
        continue;
      }
      let target = path === "" ? file : resolve(dirname(file), decodeURIComponent(path));
      if (target !== root && !target.startsWith(root + sep)) {
        problems.push(`${from}: ${link}: leaves the site`);
        continue;
      }
      if (existsSync(target) && statSync(target).isDirectory()) target = join(target, "index.html");
      if (!existsSync(target)) {
        problems.push(`${from}: ${link}: no such file`);
        continue;
      }
      if (fragment === undefined || fragment === "") continue;
      const targetPage = pages.get(target);
      if (!targetPage) {
        problems.push(`${from}: ${link}: an anchor into a file that is not an HTML page`);
      } else if (!targetPage.ids.has(decodeURIComponent(fragment))) {
        problems.push(`${from}: ${link}: no element with id "${fragment}"`);
      }
    }
  }
  return { problems, external: [...external].sort() };
}
