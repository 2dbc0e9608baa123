import MiniSearch from "minisearch";

export interface SearchDocument {
  id: string;
  /** The page's title. */
  title: string;
  /** The section's heading, or the operation's method and path. */
  heading: string;
  text: string;
  /** Relative to the site's root, with the section's anchor. */
  url: string;
  excerpt: string;
}

export const SEARCH_OPTIONS = {
  fields: ["title", "heading", "text"],
  storeFields: ["title", "heading", "url", "excerpt"],
};

/** The index the pages' search box loads: built here, so the browser only deserializes it. */
export function buildSearchIndex(documents: SearchDocument[]): string {
  const index = new MiniSearch<SearchDocument>(SEARCH_OPTIONS);
  index.addAll(documents);
  return JSON.stringify({ options: SEARCH_OPTIONS, index: index.toJSON() });
}

export function excerptOf(text: string, length = 160): string {
  return text.length <= length ? text : `${text.slice(0, length).replace(/\s+\S*$/, "")}…`;
}
