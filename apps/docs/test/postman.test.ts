import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { COLLECTION_FILE, ENVIRONMENT_FILE, SPEC_FILE } from "../src/paths.ts";
import {
  generatePostmanCollection,
  renderCollection,
  renderEnvironment,
} from "../src/postman/collection.ts";
import { type Collection, isFolder, type RequestItem } from "../src/postman/collection-types.ts";
import { COLLECTION_VARIABLES } from "../src/postman/flow.ts";

const specText = await readFile(SPEC_FILE, "utf8");
const spec = JSON.parse(specText) as {
  paths: Record<string, Record<string, { operationId: string; responses: object }>>;
};
const collection = await generatePostmanCollection(specText);
const requests = collection.item.flatMap((folder) => (isFolder(folder) ? folder.item : [folder]));
const requestItems = requests.filter((item): item is RequestItem => !isFolder(item));
const scriptOf = (item: RequestItem, listen: "prerequest" | "test") =>
  (item.event ?? [])
    .filter((event) => event.listen === listen)
    .flatMap((e) => e.script.exec)
    .join("\n");

describe("the Postman collection", () => {
  it("is checked in as generated (run `pnpm openapi` after changing the spec)", async () => {
    const checkedIn = await readFile(COLLECTION_FILE, "utf8");
    expect(
      checkedIn === renderCollection(collection),
      "openapi/thrive-send.postman_collection.json is stale: run `pnpm openapi`",
    ).toBe(true);
    expect(await readFile(ENVIRONMENT_FILE, "utf8")).toBe(renderEnvironment());
  });

  it("comes out the same on every generation", async () => {
    expect(renderCollection(await generatePostmanCollection(specText))).toBe(
      renderCollection(collection),
    );
  });

  it("has one request per operation, each testing its documented success status", () => {
    const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));
    expect(requestItems.map((item) => item.id).sort()).toEqual(
      operations.map((operation) => operation.operationId).sort(),
    );
    for (const operation of operations) {
      const item = requestItems.find((request) => request.id === operation.operationId);
      const statuses = Object.keys(operation.responses).filter((s) => s.startsWith("2"));
      expect(scriptOf(item as RequestItem, "test"), operation.operationId).toContain(
        `pm.expect(pm.response.code).to.be.oneOf([${statuses.join(",")}]);`,
      );
    }
  });

  it("sets every variable a request uses before that request, or declares it", () => {
    const known = new Set(Object.keys(COLLECTION_VARIABLES));
    for (const item of requestItems) {
      const setHere = (text: string) =>
        [...text.matchAll(/pm\.collectionVariables\.set\("([a-z_]+)"/g)].map((m) => m[1] ?? "");
      for (const name of setHere(scriptOf(item, "prerequest"))) known.add(name);
      const used = JSON.stringify(item.request).matchAll(/\{\{([a-z_]+)\}\}/g);
      for (const [, name] of used) {
        expect(known.has(name ?? ""), `${item.id} uses {{${name}}} before it is set`).toBe(true);
      }
      for (const name of setHere(scriptOf(item, "test"))) known.add(name);
    }
    // Ids flow: the create requests store what the requests after them use.
    expect(known).toEqual(
      new Set([
        ...Object.keys(COLLECTION_VARIABLES),
        "domain_name",
        "domain_id",
        "api_key_id",
        "scheduled_at",
        "email_id",
        "rescheduled_at",
        "suppression_email",
        "provider_name",
        "provider_id",
        "webhook_id",
        "event_id",
      ]),
    );
  });

  it("authenticates with {{api_key}} except where the spec needs no key", () => {
    expect(collection.auth).toEqual({
      type: "bearer",
      bearer: [{ key: "token", value: "{{api_key}}", type: "string" }],
    });
    const open = requestItems.filter((item) => item.request.auth !== undefined).map((i) => i.id);
    expect(open.sort()).toEqual(["getHealth", "getReadiness"]);
    expect((collection as Collection).item.every(isFolder)).toBe(true);
  });

  it("has an environment with base_url and api_key", () => {
    const environment = JSON.parse(renderEnvironment()) as { values: { key: string }[] };
    expect(environment.values.map((value) => value.key)).toEqual(["base_url", "api_key"]);
  });
});
