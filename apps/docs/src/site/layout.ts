import { escapeHtml } from "./html.ts";
import { NAV, rootOf } from "./pages.ts";

export interface LayoutInput {
  path: string;
  title: string;
  body: string;
  /** A page that fills the window (the API reference) has no side navigation. */
  wide?: boolean;
  head?: string;
}

/** The shared page: header with search, the navigation, the content. Links are relative. */
export function layout({ path, title, body, wide = false, head = "" }: LayoutInput): string {
  const root = rootOf(path);
  const nav = NAV.map(
    (section) => `<div class="nav-section">
        <p class="nav-title">${escapeHtml(section.title)}</p>
        <ul>${section.pages
          .map((page) => {
            const current = page.path === path ? ' aria-current="page"' : "";
            return `<li><a href="${root}${page.path}"${current}>${escapeHtml(page.label)}</a></li>`;
          })
          .join("")}</ul>
      </div>`,
  ).join("\n      ");
  return `<!doctype html>
<html lang="en" data-root="${root}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)} · Thrive-Send docs</title>
  <link rel="stylesheet" href="${root}assets/site.css">
  <link rel="stylesheet" href="${root}assets/highlight.css">
  ${head}
</head>
<body class="${wide ? "wide" : "page"}">
  <header class="site-header">
    <a class="brand" href="${root}index.html">Thrive-Send <span>docs</span></a>
    <div class="search">
      <input id="search" type="search" placeholder="Search the docs" autocomplete="off" aria-label="Search the docs">
      <ol id="search-results" class="search-results" hidden></ol>
    </div>
  </header>
  <div class="site-body">
    <nav class="site-nav" aria-label="Documentation">
      ${nav}
    </nav>
    <main class="content">
${body}
    </main>
  </div>
  <script type="module" src="${root}assets/search.js"></script>
</body>
</html>
`;
}
