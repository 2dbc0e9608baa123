#!/usr/bin/env node
/** The `thrive` command (the package's bin, built into dist/cli.js). */
import { main } from "./main.ts";

process.exitCode = await main(process.argv);
