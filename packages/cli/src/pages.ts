import type { Page, PagePromise } from "@thrive-send/sdk";
import type { Output } from "./output.ts";
import { type Progress, startProgress } from "./progress.ts";

/**
 * Every item of a list, page after page (100 at a time), counting on a spinner. Answers the
 * same `{object, data, has_more}` shape as one page, so `--json` output keeps its shape.
 */
export async function fetchAll<Item extends { id: string }>(
  out: Output,
  what: string,
  list: PagePromise<Item>,
): Promise<Page<Item>> {
  const progress: Progress = startProgress(out, `Fetching ${what}…`);
  const items: Item[] = [];
  try {
    for await (const page of list.pages()) {
      items.push(...page.data);
      progress.update(`Fetching ${what}… ${items.length.toLocaleString("en-US")}`);
    }
  } catch (error) {
    progress.stop();
    throw error;
  }
  progress.succeed(`Fetched ${items.length.toLocaleString("en-US")} ${what}.`);
  return { object: "list", data: items, has_more: false };
}
