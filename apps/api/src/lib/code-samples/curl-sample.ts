import { jsonLiteral } from "./literals.ts";
import { headerDisplayName } from "./names.ts";
import type { Argument, OperationCall } from "./operation-call.ts";

export function queryString(query: Argument[]): string {
  const search = new URLSearchParams();
  for (const { name, value } of query) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

export function curlSample(call: OperationCall, baseUrl: string): string {
  const url = `${baseUrl}${call.path}${queryString(call.query)}`;
  const lines = [
    `curl${call.answers === "event-stream" ? " -N" : ""}${call.method === "GET" ? "" : ` -X ${call.method}`} ${shellQuote(url)}`,
  ];
  if (call.authenticated) lines.push(`-H "Authorization: Bearer $THRIVE_API_KEY"`);
  if (call.body !== undefined) lines.push(`-H 'Content-Type: application/json'`);
  for (const header of call.headers) {
    lines.push(`-H ${shellQuote(`${headerDisplayName(header.name)}: ${String(header.value)}`)}`);
  }
  if (call.body !== undefined) lines.push(`-d ${shellQuote(jsonLiteral(call.body))}`);
  return lines.join(" \\\n  ");
}
