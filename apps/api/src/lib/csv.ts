/**
 * RFC 4180 CSV: a field is quoted when it holds a quote, a comma or a line break (or starts or
 * ends with a space, which some readers trim), quotes doubled inside; lines end with CRLF.
 * Null and undefined are empty fields.
 */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: readonly (string | number | boolean | null | undefined)[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
