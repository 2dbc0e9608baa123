import { readFile } from "node:fs/promises";
import newman, { type NewmanRunOptions, type NewmanRunSummary } from "newman";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOidcProvider, type TestOidcProvider } from "../../api/src/test/oidc-provider.ts";
import { COLLECTION_FILE, ENVIRONMENT_FILE } from "../src/paths.ts";
import { type Collection, isFolder } from "../src/postman/collection-types.ts";
import { BY_HAND_FOLDERS, ENDLESS_FOLDER } from "../src/postman/flow.ts";
import { type LiveServer, startLiveServer } from "./live-server.ts";
import { startWebhookReceiver } from "./webhook-receiver.ts";

const collection = JSON.parse(await readFile(COLLECTION_FILE, "utf8")) as Collection;
const environmentFile = JSON.parse(await readFile(ENVIRONMENT_FILE, "utf8")) as {
  values: { key: string; value: string }[];
};
const folders = collection.item.filter(isFolder).map((folder) => folder.name);
// Every folder but the event stream's, which never ends by itself, and the single sign-on
// callback's, which needs a person at the provider.
const runnableFolders = folders.filter((name) => !BY_HAND_FOLDERS.includes(name));

function run(options: Omit<NewmanRunOptions, "collection">): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) => {
    newman.run({ collection: COLLECTION_FILE, reporters: [], ...options }, (error, summary) =>
      error ? reject(error) : resolve(summary),
    );
  });
}

function environment(server: LiveServer, apiKey: string) {
  const values = { base_url: server.url, api_key: apiKey };
  return {
    values: environmentFile.values.map(({ key }) => ({
      key,
      value: values[key as keyof typeof values],
      enabled: true,
    })),
  };
}

describe("the Postman collection against a live server (newman)", () => {
  let server: LiveServer;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  // The OpenID provider the organization's single sign-on connection points at.
  let idp: TestOidcProvider;

  beforeAll(async () => {
    [server, receiver] = await Promise.all([startLiveServer("postman"), startWebhookReceiver()]);
    idp = await startOidcProvider(`${server.url}/auth/oidc/callback`);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), receiver?.close(), idp?.close()]);
  });

  it("passes every request's status test, in order, with ids flowing between them", async () => {
    expect(folders).toEqual(expect.arrayContaining(BY_HAND_FOLDERS));
    expect(folders.at(-1)).toBe(ENDLESS_FOLDER);
    const summary = await run({
      environment: environment(server, server.apiKey),
      envVar: [
        { key: "webhook_endpoint", value: receiver.url },
        { key: "oidc_issuer", value: idp.issuer },
        { key: "oidc_client_id", value: idp.clientId },
        { key: "oidc_client_secret", value: idp.clientSecret },
      ],
      folder: runnableFolders,
    });
    const failures = summary.run.failures.map(
      (failure) => `${failure.source?.name ?? "?"}: ${failure.error.message}`,
    );
    expect(failures).toEqual([]);
    const runnable = collection.item
      .filter(isFolder)
      .filter((folder) => runnableFolders.includes(folder.name))
      .flatMap((folder) => folder.item.map((item) => item.id));
    const requestCount = runnable.length;
    // Every request ran (the pre-request scripts' own look-ups, such as the wait before a
    // replay, show up as more executions of the same item) and passed its one assertion.
    const executed = summary.run.executions.map((execution) => execution.item.id);
    expect([...new Set(executed)]).toEqual(runnable);
    expect(summary.run.stats.assertions).toEqual({ total: requestCount, pending: 0, failed: 0 });
    // The people part ran as the story goes: single sign-on starts at the provider, the last
    // owner may not leave, and the organization is deleted.
    const answer = (id: string) => {
      const execution = summary.run.executions.findLast((candidate) => candidate.item.id === id);
      return { code: execution?.response?.code, text: execution?.response?.stream?.toString() };
    };
    const start = summary.run.executions.find((e) => e.item.id === "startOidcSignIn");
    expect(start?.response?.headers.get("Location")).toMatch(new RegExp(`^${idp.issuer}/`));
    expect(answer("leaveOrganization").code).toBe(409);
    // Grace had the custom role until she became the owner; then it could be deleted.
    const role = JSON.parse(answer("createRole").text ?? "{}");
    expect(role).toMatchObject({ object: "role", built_in: false, extends: "developer" });
    expect(role.resolved_permissions).toContain("audit:read");
    expect(JSON.parse(answer("updateMember").text ?? "{}").role).toBe(role.name);
    expect(JSON.parse(answer("deleteRole").text ?? "{}")).toEqual({
      object: "role",
      id: role.id,
      deleted: true,
    });
    expect(JSON.parse(answer("deleteOrganization").text ?? "{}")).toMatchObject({
      object: "organization",
      deleted: true,
    });
    // The webhook the collection creates got its test event, signed.
    const signed = receiver.received.filter((hook) => hook.headers["webhook-signature"]);
    expect(signed.length).toBeGreaterThan(0);
    expect(signed[0]?.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
  }, 120_000);

  it("fails the status tests when the key is wrong", async () => {
    const summary = await run({
      environment: environment(server, "re_not_a_key"),
      folder: "API keys",
    });
    const apiKeyRequests = collection.item.filter(isFolder).find((f) => f.name === "API keys");
    expect(summary.run.stats.assertions.failed).toBe(apiKeyRequests?.item.length);
    expect(summary.run.failures[0]?.error.message).toMatch(/expected 403 to be one of \[ 200 \]/);
  }, 60_000);
});
