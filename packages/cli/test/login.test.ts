/** login, logout, and where the key comes from: flag, then environment, then stored config. */
import { readFile, stat } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { describe, expect, it } from "vitest";
import { live, newHome, thrive } from "./support/thrive.ts";

/** A loopback URL where nothing listens any more. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

async function sendingAccessKey(): Promise<string> {
  const response = await fetch(`${live.url}/api-keys`, {
    method: "POST",
    headers: { authorization: `Bearer ${live.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "cli sending", permission: "sending_access" }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe("thrive login", () => {
  it("checks the key, stores it with the base URL (0600), and later commands use it", async () => {
    const home = newHome();
    const login = await thrive(["login", "--api-key", live.apiKey, "--base-url", live.url], {
      env: home.env,
    });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain(`Logged in to ${live.url}`);
    expect(login.stderr).toContain("full access");
    // The key is never printed whole.
    expect(login.stdout + login.stderr).not.toContain(live.apiKey);

    expect(JSON.parse(await readFile(home.configFile, "utf8"))).toEqual({
      apiKey: live.apiKey,
      baseUrl: live.url,
    });
    expect((await stat(home.configFile)).mode & 0o777).toBe(0o600);
    expect((await stat(`${home.configDir}/thrive`)).mode & 0o777).toBe(0o700);

    const list = await thrive(["domains", "list", "--json"], { env: home.env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject({ object: "list" });

    const logout = await thrive(["logout"], { env: home.env });
    expect(logout.code).toBe(0);
    expect(logout.stderr).toContain("Logged out");
    await expect(stat(home.configFile)).rejects.toThrow();

    const after = await thrive(["domains", "list"], { env: home.env });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("No API key: run `thrive login`");
    expect((await thrive(["logout", "--json"], { env: home.env })).stdout).toContain(
      '"logged_out": false',
    );
  });

  it("reads the key from stdin when it is not a terminal, and answers JSON", async () => {
    const home = newHome();
    const login = await thrive(["login", "--base-url", live.url, "--json"], {
      env: home.env,
      input: `${live.apiKey}\n`,
    });
    expect(login.code).toBe(0);
    expect(JSON.parse(login.stdout)).toEqual({
      base_url: live.url,
      permission: "full_access",
      config_path: home.configFile,
    });
    expect(JSON.parse(await readFile(home.configFile, "utf8")).apiKey).toBe(live.apiKey);
  });

  it("stores a sending-access key with a warning: it can send, not list", async () => {
    const home = newHome();
    const key = await sendingAccessKey();
    const login = await thrive(["login", "--api-key", key, "--base-url", live.url], {
      env: home.env,
    });
    expect(login.code).toBe(0);
    expect(login.stderr).toContain("sending access");
    expect(login.stderr).toContain("can only send emails");

    const sent = await thrive(
      ["send", "--from", "a@acme.dev", "--to", "b@example.com", "--subject", "s", "--text", "t"],
      { env: home.env },
    );
    expect(sent.code).toBe(0);
    const list = await thrive(["emails", "list"], { env: home.env });
    expect(list.code).toBe(1);
    expect(list.stderr).toContain("restricted_api_key");
  });

  it("refuses a bad key with the API's message, exit 1, and stores nothing", async () => {
    const home = newHome();
    const login = await thrive(["login", "--api-key", "ts_not_a_key", "--base-url", live.url], {
      env: home.env,
    });
    expect(login.code).toBe(1);
    expect(login.stderr).toContain("API key is invalid");
    expect(login.stderr).toContain("invalid_api_key");
    await expect(stat(home.configFile)).rejects.toThrow();

    const json = await thrive(
      ["login", "--api-key", "ts_not_a_key", "--base-url", live.url, "--json"],
      {
        env: home.env,
      },
    );
    expect(json.code).toBe(1);
    expect(json.stdout).toBe("");
    expect(JSON.parse(json.stderr)).toMatchObject({
      error: { name: "invalid_api_key", message: "API key is invalid", statusCode: 403 },
    });
  });

  it("says so when the API cannot be reached", async () => {
    const home = newHome();
    const url = await closedUrl();
    const login = await thrive(["login", "--api-key", live.apiKey, "--base-url", url], {
      env: home.env,
    });
    expect(login.code).toBe(1);
    expect(login.stderr).toContain(
      `Unable to reach the API: ${url}: ECONNREFUSED (connection_error)`,
    );
    await expect(stat(home.configFile)).rejects.toThrow();
  });

  it("takes the flag over the environment over the stored config", async () => {
    const home = newHome();
    await thrive(["login", "--api-key", live.apiKey, "--base-url", live.url], { env: home.env });

    // The environment's key wins over the stored one...
    const fromEnv = await thrive(["emails", "list"], {
      env: { ...home.env, THRIVE_API_KEY: "ts_env_key_is_bad" },
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stderr).toContain("API key is invalid");

    // ...and the flag over the environment's.
    const fromFlag = await thrive(["emails", "list", "--api-key", live.apiKey, "--json"], {
      env: { ...home.env, THRIVE_API_KEY: "ts_env_key_is_bad" },
    });
    expect(fromFlag.code).toBe(0);

    // Same for the URL: THRIVE_BASE_URL over the stored one, --base-url over both.
    const badUrl = await closedUrl();
    const urlFromEnv = await thrive(["emails", "list"], {
      env: { ...home.env, THRIVE_BASE_URL: badUrl },
    });
    expect(urlFromEnv.code).toBe(1);
    expect(urlFromEnv.stderr).toContain("connection_error");
    const urlFromFlag = await thrive(["emails", "list", "--base-url", live.url], {
      env: { ...home.env, THRIVE_BASE_URL: badUrl },
    });
    expect(urlFromFlag.code).toBe(0);
  });

  it("rejects a base URL that is not http(s) as a usage error", async () => {
    const home = newHome();
    const result = await thrive(["emails", "list", "--api-key", "x", "--base-url", "ftp://x"], {
      env: home.env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("must be http:// or https://");
  });
});
