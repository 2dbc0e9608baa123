/**
 * The SDK covers the spec: every operationId has a method in `operationMethods`, each method
 * exists, and the map is openapi/sdk-methods.json's (which the spec's code samples use).
 * (That the tests call each one is checked at the end of the run, in
 * test/support/global-setup.ts.)
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { generateTypes, SPEC_URL, TYPES_URL } from "../scripts/openapi-types.ts";
import { operationMethods, ThriveSend } from "../src/index.ts";
import { VERSION } from "../src/version.ts";
import { methodAt } from "./support/client.ts";

const SDK_METHODS_URL = new URL("../../../openapi/sdk-methods.json", import.meta.url);
const METHODS = new Set(["get", "put", "post", "patch", "delete", "head", "options", "trace"]);

async function specOperationIds(specUrl: URL = SPEC_URL): Promise<string[]> {
  const spec = JSON.parse(await readFile(specUrl, "utf8")) as {
    paths: Record<string, Record<string, { operationId?: string }>>;
  };
  return Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => operation.operationId ?? `${method.toUpperCase()} ${path}`),
  );
}

/** The spec with one more operation, as a route added to the API would put it there. */
async function specWithNewOperation(): Promise<{ url: URL; cleanup(): Promise<void> }> {
  const spec = JSON.parse(await readFile(SPEC_URL, "utf8"));
  spec.paths["/emails/{id}/resend"] = {
    post: {
      operationId: "resendEmail",
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
      responses: { "200": { description: "Sent again." } },
    },
  };
  const dir = await mkdtemp(join(tmpdir(), "sdk-spec-"));
  await writeFile(join(dir, "openapi.json"), JSON.stringify(spec));
  return {
    url: pathToFileURL(join(dir, "openapi.json")),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

function missingMethods(ids: string[]): string[] {
  return ids.filter((id) => !(id in operationMethods));
}

describe("operationMethods", () => {
  it("has a method for every operation of the spec, and none for operations it lacks", async () => {
    const ids = await specOperationIds();
    expect(missingMethods(ids), "operations of the spec without an SDK method").toEqual([]);
    const extra = Object.keys(operationMethods).filter((id) => !ids.includes(id));
    expect(extra, "SDK methods for operations the spec no longer has").toEqual([]);
  });

  it("would miss an operation added to the spec", async () => {
    const changed = await specWithNewOperation();
    try {
      expect(missingMethods(await specOperationIds(changed.url))).toEqual(["resendEmail"]);
    } finally {
      await changed.cleanup();
    }
  });

  it("is the map of openapi/sdk-methods.json, operation for operation", async () => {
    const shared = JSON.parse(await readFile(SDK_METHODS_URL, "utf8")) as {
      operations: Record<string, { typescript: string; python: string }>;
    };
    const typescript = Object.fromEntries(
      Object.entries(shared.operations).map(([id, methods]) => [id, methods.typescript]),
    );
    // On failure: make them agree, then `pnpm openapi` rewrites the spec's code samples.
    expect(typescript).toEqual({ ...operationMethods });
  });

  it("maps each operation to a method of the client, each once", () => {
    const thrive = new ThriveSend("ts_test");
    for (const path of Object.values(operationMethods)) {
      expect(typeof methodAt(thrive, path).method, path).toBe("function");
    }
    const paths = Object.values(operationMethods);
    expect(new Set(paths).size).toBe(paths.length);
  });
});

describe("generated types", () => {
  it("are what `pnpm generate` writes from the spec today", async () => {
    const checkedIn = await readFile(TYPES_URL, "utf8");
    // On failure: run `pnpm --filter @thrive-send/sdk generate` and commit the file.
    expect(checkedIn === (await generateTypes()), "src/generated/openapi.ts is stale").toBe(true);
  });

  it("change with the spec", async () => {
    const changed = await specWithNewOperation();
    try {
      const types = await generateTypes(changed.url);
      expect(types).not.toBe(await readFile(TYPES_URL, "utf8"));
      expect(types).toContain("resendEmail: {");
    } finally {
      await changed.cleanup();
    }
  });

  it("VERSION is package.json's", async () => {
    const pkg = JSON.parse(await readFile(new URL("../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(pkg.version);
  });
});
