import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderOpenApiDocument } from "./openapi-file.ts";

const CHECKED_IN = fileURLToPath(new URL("../../../../openapi/openapi.json", import.meta.url));

describe("openapi/openapi.json", () => {
  it("matches the routes (run `pnpm openapi` after changing a route)", async () => {
    const checkedIn = await readFile(CHECKED_IN, "utf8");
    expect(
      checkedIn === renderOpenApiDocument(),
      "openapi/openapi.json is stale: run `pnpm openapi`",
    ).toBe(true);
  });
});
