import hljs from "highlight.js";
import MarkdownIt, { type MarkdownIt as Markdown, type Token } from "markdown-it";
import anchor from "markdown-it-anchor";

/** GitHub-style heading ids: `Verifying signatures` → `verifying-signatures`. */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^\p{L}\p{N}\s-]/gu, "")
    .replace(/\s+/g, "-");
}

const LANGUAGE_ALIASES: Record<string, string> = { sh: "bash", shell: "bash", ts: "typescript" };

function highlight(code: string, language: string): string {
  const name = LANGUAGE_ALIASES[language] ?? language;
  if (!name || !hljs.getLanguage(name)) return "";
  return hljs.highlight(code, { language: name, ignoreIllegals: true }).value;
}

/**
 * Markdown as the guides are written: headings get ids (and a `#` link), code is highlighted
 * at build time, and links to other Markdown files point to the HTML they become.
 */
export function createMarkdown(): Markdown {
  const md = new MarkdownIt({ html: true, linkify: false, typographer: false, highlight });
  md.use(anchor, {
    slugify,
    level: [2, 3],
    permalink: anchor.permalink.linkInsideHeader({ symbol: "#", placement: "after" }),
  });
  const defaultLinkOpen =
    md.renderer.rules.link_open ??
    ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
  md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
    const token = tokens[idx] as Token;
    const href = String(token.attrGet("href") ?? "");
    if (href && !/^[a-z]+:/i.test(href)) {
      token.attrSet("href", href.replace(/\.md(?=$|#)/, ".html"));
    }
    return defaultLinkOpen(tokens, idx, options, env, self);
  };
  return md;
}

export interface Section {
  /** The heading's id, or "" for the text before the first heading. */
  id: string;
  heading: string;
  text: string;
}

/** The page's title (its `# ` heading) and its text by `##`/`###` section, for the search index. */
export function sectionsOf(md: Markdown, source: string): { title: string; sections: Section[] } {
  const tokens = md.parse(source, {});
  let title = "";
  const sections: Section[] = [{ id: "", heading: "", text: "" }];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (token.type === "heading_open") {
      const inline = tokens[i + 1] as Token;
      const text = plainText(inline);
      if (token.tag === "h1") title = text;
      else
        sections.push({
          id: String(token.attrGet("id") ?? slugify(text)),
          heading: text,
          text: "",
        });
      i += 2;
      continue;
    }
    const current = sections.at(-1) as Section;
    if (token.type === "inline") current.text += `${plainText(token)} `;
    else if (token.type === "fence" || token.type === "code_block")
      current.text += `${token.content} `;
  }
  return {
    title,
    sections: sections
      .map((section) => ({ ...section, text: section.text.replace(/\s+/g, " ").trim() }))
      .filter((section) => section.heading || section.text),
  };
}

function plainText(inline: Token): string {
  return (inline.children ?? [])
    .filter((child) => child.type === "text" || child.type === "code_inline")
    .map((child) => child.content)
    .join("");
}
