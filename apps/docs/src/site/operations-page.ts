import type { MarkdownIt } from "markdown-it";
import type {
  CodeSample,
  OpenApiDocumentLike,
  OperationObject,
} from "../../../api/src/lib/code-samples/openapi-types.ts";
import { escapeHtml } from "./html.ts";
import { slugify } from "./markdown.ts";
import { REFERENCE_PAGE } from "./pages.ts";

export interface OperationEntry {
  operationId: string;
  method: string;
  path: string;
  tag: string;
  operation: OperationObject;
}

export function operationsOf(spec: OpenApiDocumentLike): OperationEntry[] {
  return Object.entries(spec.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]) => ({
      operationId: operation.operationId ?? `${method}-${path}`,
      method: method.toUpperCase(),
      path,
      tag: (operation.tags as string[] | undefined)?.[0] ?? "Other",
      operation,
    })),
  );
}

/**
 * Every operation on one static page, by tag, with its cURL, TypeScript and Python samples
 * (the spec's x-codeSamples): what search results and guides link to (`#<operationId>`), and
 * readable without JavaScript. The interactive reference is Scalar's page.
 */
export function operationsPage(spec: OpenApiDocumentLike, md: MarkdownIt): string {
  const byTag = new Map<string, OperationEntry[]>();
  for (const entry of operationsOf(spec)) {
    byTag.set(entry.tag, [...(byTag.get(entry.tag) ?? []), entry]);
  }
  const toc = [...byTag.keys()]
    .map((tag) => `<li><a href="#${slugify(tag)}">${escapeHtml(tag)}</a></li>`)
    .join("");
  const sections = [...byTag].map(
    ([tag, entries]) => `<section>
  <h2 id="${slugify(tag)}">${escapeHtml(tag)}</h2>
  ${entries.map((entry) => operationHtml(entry, md)).join("\n")}
</section>`,
  );
  return `<h1>Operations and samples</h1>
<p>Every operation of the API with a request in cURL, TypeScript (the <code>thrive-send</code> package) and Python (<code>thrive_send</code>), generated from the <a href="openapi.json">OpenAPI spec</a>. The <a href="${REFERENCE_PAGE}">API reference</a> shows the same with every field and response, and lets you send requests.</p>
<ul class="toc">${toc}</ul>
${sections.join("\n")}`;
}

function operationHtml({ operationId, method, path, operation }: OperationEntry, md: MarkdownIt) {
  const samples = (operation["x-codeSamples"] ?? []) as CodeSample[];
  const permission = operation["x-permission"] as string | undefined;
  const description = typeof operation.description === "string" ? operation.description : "";
  return `<article class="operation" id="${escapeHtml(operationId)}">
    <h3>${escapeHtml(operation.summary ?? operationId)}</h3>
    <p class="endpoint"><span class="method method-${method.toLowerCase()}">${method}</span> <code>${escapeHtml(path)}</code>${permission ? ` <span class="permission">${escapeHtml(permission)}</span>` : ""}</p>
    ${md.render(description)}
    ${samples
      .map(
        (sample) => `<div class="sample"><p class="sample-label">${escapeHtml(sample.label)}</p>
      <pre><code class="language-${sample.lang.toLowerCase()}">${escapeHtml(sample.source)}</code></pre></div>`,
      )
      .join("\n    ")}
  </article>`;
}
