import { fileURLToPath } from "node:url";
import { defineConfig } from "tsdown";

export default defineConfig({
  entry: ["src/cli.ts"],
  format: ["esm"],
  platform: "node",
  target: "node22.18",
  // dist/cli.js: the package is ESM ("type": "module").
  fixedExtension: false,
  // The SDK is bundled, from its source: the packed CLI needs no unpublished workspace
  // package, and building the CLI needs no SDK build first. npm dependencies stay imports.
  alias: { "@thrive-send/sdk": fileURLToPath(new URL("../sdk-js/src/index.ts", import.meta.url)) },
  deps: {
    alwaysBundle: ["@thrive-send/sdk"],
    // The SDK's optional React Email renderer: the CLI sends no React elements.
    neverBundle: ["@react-email/render"],
    // Fails the build if anything from node_modules would be bundled.
    onlyBundle: [],
  },
  dts: false,
  sourcemap: true,
  clean: true,
});
