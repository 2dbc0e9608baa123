/** Where the bundled Scalar script is copied, under dist/. */
export const SCALAR_SCRIPT = "assets/scalar/standalone.js";

/**
 * Scalar over the local spec, from its standalone bundle copied into the site: nothing is
 * loaded from elsewhere (no fonts, no telemetry, no request proxy), and only the spec's
 * x-codeSamples are shown as samples.
 */
export function referenceBody(root: string): string {
  const config = {
    url: `${root}openapi.json`,
    withDefaultFonts: false,
    telemetry: false,
    hiddenClients: true,
    hideDownloadButton: false,
    documentDownloadType: "json",
    showDeveloperTools: "never",
    persistAuth: false,
  };
  return `<div id="api-reference"></div>
<script src="${root}${SCALAR_SCRIPT}"></script>
<script>
  Scalar.createApiReference("#api-reference", ${JSON.stringify(config)});
</script>`;
}

/** Scalar's sidebar and sticky parts start below the site's header instead of under it. */
export const REFERENCE_HEAD = "<style>:root { --scalar-custom-header-height: 56px; }</style>";
