/** A page of the portal: written in Markdown under content/, or generated from the spec. */
export interface PageEntry {
  /** Output path under dist/, e.g. `guides/webhooks.html`. */
  path: string;
  /** The Markdown source under content/; none for generated pages. */
  source?: string;
  /** The navigation label (Markdown pages otherwise take their `# ` heading). */
  label: string;
}

export interface NavSection {
  title: string;
  pages: PageEntry[];
}

const guide = (name: string, label: string): PageEntry => ({
  path: `guides/${name}.html`,
  source: `guides/${name}.md`,
  label,
});

export const OPERATIONS_PAGE = "operations.html";
export const REFERENCE_PAGE = "reference.html";

/** The navigation, in order: every page of the portal is here. */
export const NAV: NavSection[] = [
  {
    title: "Start",
    pages: [
      { path: "index.html", source: "index.md", label: "Overview" },
      { path: "getting-started.html", source: "getting-started.md", label: "Getting started" },
    ],
  },
  {
    title: "Guides",
    pages: [
      guide("domains", "Domains and DNS"),
      guide("idempotency", "Idempotency"),
      guide("webhooks", "Webhooks"),
      guide("scheduling", "Scheduling"),
      guide("batch", "Batch sending"),
      guide("errors", "Errors"),
      guide("rate-limits", "Rate limits"),
      guide("organizations", "Organizations and members"),
      guide("keys-and-audit", "Keys, audit log and usage"),
      guide("migrating-from-resend", "Migrating from Resend"),
    ],
  },
  {
    title: "API",
    pages: [
      { path: OPERATIONS_PAGE, label: "Operations and samples" },
      { path: REFERENCE_PAGE, label: "API reference" },
    ],
  },
];

export const ALL_PAGES: PageEntry[] = NAV.flatMap((section) => section.pages);

/** `../` as many times as the page is deep: links stay relative, so the site works under any prefix. */
export function rootOf(path: string): string {
  const depth = path.split("/").length - 1;
  return depth === 0 ? "./" : "../".repeat(depth);
}
