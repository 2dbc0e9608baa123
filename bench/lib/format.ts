const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** 12,345 */
export const count = (value: number): string => integer.format(value);
/** 12,345.67 when there is a fraction */
export const num = (value: number): string => decimal.format(value);
/** "3.5 ms" */
export const ms = (value: number): string => `${decimal.format(value)} ms`;
export const seconds = (valueMs: number): string => `${(valueMs / 1000).toFixed(2)} s`;
export const mib = (bytes: number): string => `${decimal.format(bytes / 1024 / 1024)} MiB`;
export const gib = (bytes: number): string => `${decimal.format(bytes / 1024 ** 3)} GiB`;

export function heading(title: string): void {
  console.log(`\n== ${title}`);
}

/** Label/value pairs with the values aligned, so runs are easy to compare by eye. */
export function printRows(rows: [label: string, value: string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
}
