import sanitizeHtml from "sanitize-html";

/**
 * An email's HTML made safe to show in a browser (the dev inbox's preview): no script, no
 * event handler, no form, no frame, no `javascript:` link, nothing that runs or posts. What
 * mail looks like is kept: tables, inline styles and <style> blocks, images (the preview's CSP
 * decides which may load). sanitize-html parses with htmlparser2 as a browser would, so
 * broken markup cannot smuggle a tag past it.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags,
    "img",
    "style",
    "center",
    "font",
    "span",
    "div",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "col",
    "colgroup",
  ],
  allowedAttributes: {
    "*": ["style", "class", "id", "align", "valign", "width", "height", "bgcolor", "dir", "title"],
    a: ["href", "name", "target", "rel"],
    img: ["src", "alt", "border"],
    table: ["border", "cellpadding", "cellspacing", "role"],
    td: ["colspan", "rowspan"],
    th: ["colspan", "rowspan"],
    font: ["color", "face", "size"],
  },
  allowedSchemes: ["http", "https", "mailto", "tel", "cid"],
  allowedSchemesByTag: { img: ["http", "https", "cid", "data"] },
  // <style> is kept (emails depend on it); its CSS cannot run code, and the CSP stops loads.
  allowVulnerableTags: true,
  transformTags: {
    a: sanitizeHtml.simpleTransform("a", { target: "_blank", rel: "noopener noreferrer" }),
  },
};

export function sanitizeEmailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/**
 * The preview's own policy: sandboxed (no script, no form, no top navigation even if the
 * sanitizer missed something), images from anywhere only as data: or cid:, https ones too
 * because email shows them, styles inline; framed only by the same origin (a console).
 */
export const PREVIEW_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; img-src data: cid: https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";
