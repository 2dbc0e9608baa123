import Table from "cli-table3";
import type { Colors } from "./output.ts";

const NO_BORDERS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/**
 * A table without borders, as `kubectl get` and `gh` print them: columns aligned, bold
 * headings, and no padding after the last column, so a long value (a DKIM key) placed last
 * wraps on its own line in a narrow terminal instead of widening every row, and stays whole
 * for copying.
 */
export function renderTable(colors: Colors, head: string[], rows: string[][]): string {
  const table = new Table({
    head: head.map((title) => colors.bold(title)),
    chars: NO_BORDERS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0, compact: true },
  });
  table.push(...rows);
  return table
    .toString()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => line.trimEnd())
    .join("\n");
}
