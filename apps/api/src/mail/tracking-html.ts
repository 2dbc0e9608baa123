import { decodeHTMLAttribute } from "entities";
import { QuoteType, Tokenizer } from "htmlparser2";

export interface RewriteOptions {
  /**
   * The tracked URL for a link, or null to leave that link alone. `href` is the link's target
   * as the browser reads it (entities decoded, surrounding whitespace trimmed); `index` counts
   * the links offered so far, from 0, in document order.
   */
  clickUrl?: (href: string, index: number) => string | null;
  /** Adds a 1×1 image loading this URL, the open pixel. */
  openPixelUrl?: string;
}

/**
 * Attributes by which a sender keeps one link untracked: ours, and SendGrid's, which senders
 * moving over already have in their templates. Presence is enough for ours, like a boolean
 * attribute; `clicktracking` must say "off". Both are instructions to us, not HTML a mail
 * client understands, so they are removed from what is sent.
 */
const NO_TRACK_ATTRIBUTE = "data-thrive-no-track";
const CLICKTRACKING_ATTRIBUTE = "clicktracking";

const LINK_ELEMENTS = new Set(["a", "area"]);
const WEB_URL = /^https?:\/\//i;
/** A merge tag still to be filled per recipient (`{{unsubscribe_url}}`, `{% url %}`). */
const TEMPLATE_PLACEHOLDER = /\{\{|\}\}|\{%|%\}/;
/** What the URL parser strips around an attribute's value: ASCII whitespace and C0 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: exactly the characters URL parsing strips.
const URL_PADDING = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;

interface Attribute {
  name: string;
  /** Where the attribute starts (its name) and ends (after its closing quote, if any). */
  start: number;
  end: number;
  value: { start: number; end: number; quote: QuoteType } | null;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Rewrites the links of an email's HTML to go through click tracking and adds the open pixel,
 * changing nothing else: the source is tokenized with positions (htmlparser2's tokenizer) and
 * only the spans that change are spliced, so the rest stays byte for byte what the sender wrote,
 * down to whitespace, case and entity spelling that mail clients can be picky about.
 *
 * Tracked: `<a>` and `<area>` whose href is an absolute http(s) URL. Left alone: other schemes
 * (mailto:, tel:, sms:), #anchors, relative links, merge tags, opted-out links, and everything
 * inside comments, including Outlook's conditional comments (`<!--[if mso]>…<![endif]-->`):
 * Outlook then reaches those links (VML buttons, for instance) untracked, which is what keeps
 * the markup Outlook parses exactly as written. `<base href>` is kept and not applied: how a
 * relative link resolves depends on the client (webmail commonly drops `<base>`), so the
 * relative links it would affect stay as they are, and absolute ones do not depend on it.
 */
export function rewriteHtml(html: string, options: RewriteOptions): string {
  const edits: Edit[] = [];
  let linkIndex = 0;
  let tagName: string | null = null;
  let attributes: Attribute[] = [];
  let current: Attribute | null = null;
  let bodyClose = -1;
  let htmlClose = -1;

  const finishTag = () => {
    if (tagName && LINK_ELEMENTS.has(tagName)) {
      const edit = linkEdits(html, attributes, options.clickUrl, linkIndex);
      linkIndex = edit.nextIndex;
      edits.push(...edit.edits);
    }
    tagName = null;
  };

  const tokenizer = new Tokenizer(
    { decodeEntities: false },
    {
      onopentagname(start, end) {
        tagName = html.slice(start, end).toLowerCase();
        attributes = [];
      },
      onattribname(start, end) {
        current = { name: html.slice(start, end).toLowerCase(), start, end, value: null };
      },
      onattribdata(start, end) {
        // One call per value when entities are not decoded; merged in case that ever changes.
        if (!current) return;
        const previous = current.value;
        current.value = { start: previous?.start ?? start, end, quote: QuoteType.NoValue };
      },
      onattribend(quote, end) {
        if (!current) return;
        if (quote === QuoteType.NoValue) current.value = null;
        else if (current.value) current.value.quote = quote;
        current.end = end;
        attributes.push(current);
        current = null;
      },
      onopentagend: finishTag,
      onselfclosingtag: finishTag,
      onclosetag(start, end) {
        const name = html.slice(start, end).toLowerCase();
        if (name === "body") bodyClose = html.lastIndexOf("<", start);
        else if (name === "html") htmlClose = html.lastIndexOf("<", start);
      },
      onattribentity() {},
      oncdata() {},
      oncomment() {},
      ondeclaration() {},
      onend() {},
      onprocessinginstruction() {},
      ontext() {},
      ontextentity() {},
    },
  );
  tokenizer.write(html);
  tokenizer.end();

  if (options.openPixelUrl !== undefined) {
    // Before </body>; a fragment without one gets it before </html>, or at its very end.
    const at = bodyClose >= 0 ? bodyClose : htmlClose >= 0 ? htmlClose : html.length;
    edits.push({ start: at, end: at, text: openPixel(options.openPixelUrl) });
  }
  return splice(html, edits);
}

function linkEdits(
  html: string,
  attributes: Attribute[],
  clickUrl: RewriteOptions["clickUrl"],
  index: number,
): { edits: Edit[]; nextIndex: number } {
  const optOuts = attributes.filter((attribute) => isOptOut(html, attribute));
  if (optOuts.length > 0) {
    return { edits: optOuts.map((attribute) => removal(html, attribute)), nextIndex: index };
  }
  // Browsers keep the first of duplicated attributes.
  const value = attributes.find((attribute) => attribute.name === "href")?.value;
  if (!clickUrl || !value) return { edits: [], nextIndex: index };
  const href = decodeHTMLAttribute(html.slice(value.start, value.end)).replace(URL_PADDING, "");
  if (!isTrackable(href)) return { edits: [], nextIndex: index };
  const tracked = clickUrl(href, index);
  if (tracked === null) return { edits: [], nextIndex: index + 1 };
  const escaped = escapeAttribute(tracked);
  const edit =
    value.quote === QuoteType.Unquoted
      ? { start: value.start, end: value.end, text: `"${escaped}"` }
      : { start: value.start, end: value.end, text: escaped };
  return { edits: [edit], nextIndex: index + 1 };
}

function isTrackable(href: string): boolean {
  return WEB_URL.test(href) && !TEMPLATE_PLACEHOLDER.test(href) && URL.canParse(href);
}

function isOptOut(html: string, attribute: Attribute): boolean {
  if (attribute.name === NO_TRACK_ATTRIBUTE) return true;
  if (attribute.name !== CLICKTRACKING_ATTRIBUTE || !attribute.value) return false;
  const { start, end } = attribute.value;
  return decodeHTMLAttribute(html.slice(start, end)).trim().toLowerCase() === "off";
}

/** The attribute and the whitespace before it, so `<a x href>` does not become `<a  href>`. */
function removal(html: string, attribute: Attribute): Edit {
  let start = attribute.start;
  while (start > 0 && /\s/.test(html[start - 1] as string)) start--;
  return { start, end: attribute.end, text: "" };
}

/**
 * Width and height as attributes for Outlook's Word engine, as style for the rest; display:block
 * so it adds no line box under the content. Not display:none: some clients skip loading images
 * they are not going to show.
 */
function openPixel(url: string): string {
  return `<img src="${escapeAttribute(url)}" width="1" height="1" alt="" border="0" style="display:block;width:1px;height:1px;border:0;margin:0;padding:0" />`;
}

/** Safe inside double, single or no quotes (the caller adds quotes to unquoted values). */
function escapeAttribute(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

function splice(html: string, edits: Edit[]): string {
  if (edits.length === 0) return html;
  edits.sort((a, b) => a.start - b.start);
  const parts: string[] = [];
  let at = 0;
  for (const edit of edits) {
    parts.push(html.slice(at, edit.start), edit.text);
    at = edit.end;
  }
  parts.push(html.slice(at));
  return parts.join("");
}
