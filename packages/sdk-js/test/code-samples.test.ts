/**
 * The TypeScript samples of openapi/openapi.json (its x-codeSamples, written by
 * apps/api/src/lib/code-samples) and those of the docs' guides (apps/docs/content) are programs
 * that use this SDK correctly: each one is type-checked, with this package's TypeScript, as a
 * module of a user's project where `@thrive-send/sdk` is src/index.ts. A sample that calls a
 * method that does not exist, passes an argument of the wrong shape or a snake_case option
 * fails here. And the spec's are laid out as biome (the repository's formatter) lays them out.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { SPEC_URL } from "../scripts/openapi-types.ts";
import { operationMethods } from "../src/index.ts";

const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const BIOME = fileURLToPath(new URL("../../../node_modules/.bin/biome", import.meta.url));
const GUIDES_DIR = fileURLToPath(new URL("../../../apps/docs/content", import.meta.url));

/** A sample and its name: the operationId, or the guide and the block's number. */
interface Sample {
  name: string;
  source: string;
}

async function typescriptSamples(): Promise<Sample[]> {
  const spec = JSON.parse(await readFile(SPEC_URL, "utf8")) as {
    paths: Record<
      string,
      Record<string, { operationId?: string; "x-codeSamples"?: { lang: string; source: string }[] }>
    >;
  };
  return Object.values(spec.paths)
    .flatMap((item) => Object.values(item))
    .map((operation) => ({
      name: operation.operationId ?? "",
      source:
        operation["x-codeSamples"]?.find((sample) => sample.lang === "TypeScript")?.source ?? "",
    }));
}

const HEADER = [
  'import { ThriveSend } from "@thrive-send/sdk";',
  "",
  'const thrive = new ThriveSend(process.env.THRIVE_API_KEY, { baseUrl: "http://localhost:3000" });',
  "",
].join("\n");

/**
 * The guides' TypeScript blocks that use the SDK. The guides make `thrive` once, in Getting
 * started: a block that uses it without making it gets that client first.
 */
async function guideSamples(): Promise<Sample[]> {
  const files = (await readdir(GUIDES_DIR, { recursive: true })).filter((file) =>
    file.endsWith(".md"),
  );
  const samples: Sample[] = [];
  for (const file of files.sort()) {
    const text = await readFile(join(GUIDES_DIR, file), "utf8");
    const blocks = [...text.matchAll(/^```(?:ts|typescript)\n([\s\S]*?)^```$/gm)];
    blocks.forEach(([, source = ""], i) => {
      if (!/\bthrive\.|ThriveSend|thrive-send/.test(source)) return;
      const usesClient = /\bthrive\./.test(source) && !source.includes("new ThriveSend(");
      samples.push({
        name: `${file.replace(/\.md$/, "").replaceAll("/", "-")}-${i + 1}`,
        source: usesClient ? `${HEADER}${source}` : source,
      });
    });
  }
  return samples;
}

/** A user's ESM project on Node, strict, with `@thrive-send/sdk` pointing at this package's src. */
function projectConfig(dir: string, files: string[]): ts.ParsedCommandLine {
  const config = {
    compilerOptions: {
      target: "es2022",
      module: "nodenext",
      moduleResolution: "nodenext",
      lib: ["es2023", "dom", "dom.iterable", "dom.asynciterable"],
      types: ["node"],
      typeRoots: [join(PACKAGE_DIR, "node_modules/@types")],
      strict: true,
      noUncheckedIndexedAccess: true,
      noUnusedLocals: true,
      // The SDK's sources import each other with `.ts` extensions, as Node runs them.
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      paths: { "@thrive-send/sdk": [join(PACKAGE_DIR, "src/index.ts")] },
    },
    files,
  };
  return ts.parseJsonConfigFileContent(config, ts.sys, dir);
}

/** Type-checks each sample as a file of its own; answers the problems, `<name>.ts:<line>: ...`. */
async function typeCheck(samples: Sample[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), "sdk-js-samples-"));
  try {
    // `"type": "module"`: top-level await, as in an ESM project.
    await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
    const files = await Promise.all(
      samples.map(async ({ name, source }) => {
        const file = join(dir, `${name}.ts`);
        await writeFile(file, `${source}\n`);
        return file;
      }),
    );
    const parsed = projectConfig(dir, files);
    expect(parsed.errors).toEqual([]);
    const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
    return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
      if (!diagnostic.file) return message;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      const name = diagnostic.file.fileName.startsWith(dir)
        ? diagnostic.file.fileName.slice(dir.length + 1)
        : diagnostic.file.fileName;
      return `${name}:${line + 1}: ${message}`;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe("the TypeScript samples of openapi/openapi.json", () => {
  it("call, for every operation, its method of operationMethods", async () => {
    const samples = await typescriptSamples();
    expect(samples.map((sample) => sample.name).sort()).toEqual(
      Object.keys(operationMethods).sort(),
    );
    for (const { name, source } of samples) {
      const method = operationMethods[name as keyof typeof operationMethods];
      expect(source, name).toContain(`await thrive.${method}(`);
      expect(source, name).toMatch(/^import \{ ThriveSend \} from "@thrive-send\/sdk";\n/);
    }
  });

  it("type-check against the SDK, strict, as modules of a user's project", async () => {
    expect(await typeCheck(await typescriptSamples())).toEqual([]);
  }, 120_000);

  it("are, in the guides too, calls that type-check", async () => {
    const samples = await guideSamples();
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(await typeCheck(samples)).toEqual([]);
  }, 120_000);

  it("are laid out as biome lays them out", async () => {
    const samples = await typescriptSamples();
    const joined = samples.map(({ source }) => source).join("\n\n// ----\n\n");
    const formatted = execFileSync(BIOME, ["format", "--stdin-file-path=samples.ts"], {
      input: `${joined}\n`,
      encoding: "utf8",
      cwd: PACKAGE_DIR,
    });
    expect(formatted).toBe(`${joined}\n`);
  });

  // The check above is only worth something if it refuses what a wrong sample would do.
  it("would refuse a sample with the wrong package, argument shape, option name or method", async () => {
    const wrong: Sample[] = [
      {
        name: "wrongPackage",
        source: 'import { ThriveSend } from "thrive-send";\n\nnew ThriveSend("ts_x");',
      },
      {
        name: "positionalId",
        source: `${HEADER}await thrive.emails.update("019a", { scheduledAt: "2026-12-01T10:00:00Z" });`,
      },
      {
        name: "snakeCaseOption",
        source: `${HEADER}await thrive.domains.create({ name: "example.com", open_tracking: true });`,
      },
      {
        name: "noSuchMethod",
        source: `${HEADER}await thrive.webhooks.events.attempts("019a", "019b");`,
      },
      {
        name: "dataBeforeError",
        source: `${HEADER}const { data } = await thrive.emails.get("019a");\nconsole.log(data.id);`,
      },
    ];
    const problems = await typeCheck(wrong);
    for (const { name } of wrong) {
      expect(
        problems.some((problem) => problem.startsWith(`${name}.ts:`)),
        `${name} passed the check: ${problems.join("\n")}`,
      ).toBe(true);
    }
  }, 120_000);
});
