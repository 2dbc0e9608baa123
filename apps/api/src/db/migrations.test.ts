import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cp, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));
const MIGRATIONS = join(PACKAGE_DIR, "src/db/migrations");

describe("drizzle migrations", () => {
  it("cover the schema (run `pnpm db:generate` after changing src/db/schema)", async () => {
    // drizzle-kit wants an output folder relative to the working directory.
    const scratch = `.drift-check-${randomBytes(4).toString("hex")}`;
    await cp(MIGRATIONS, join(PACKAGE_DIR, scratch), { recursive: true });
    try {
      const { stdout } = await promisify(execFile)(
        join(PACKAGE_DIR, "node_modules/.bin/drizzle-kit"),
        [
          "generate",
          "--dialect",
          "postgresql",
          "--schema",
          "./src/db/schema/index.ts",
          "--out",
          `./${scratch}`,
          "--casing",
          "snake_case",
        ],
        { cwd: PACKAGE_DIR },
      );
      const before = (await readdir(MIGRATIONS)).filter((file) => file.endsWith(".sql"));
      const after = (await readdir(join(PACKAGE_DIR, scratch))).filter((file) =>
        file.endsWith(".sql"),
      );
      expect(after, stdout).toEqual(before);
    } finally {
      await rm(join(PACKAGE_DIR, scratch), { recursive: true, force: true });
    }
  });
});
