import yoctoSpinner from "yocto-spinner";
import type { Output } from "./output.ts";

/** A spinner on a terminal; elsewhere (pipes, CI) its first and last words as plain lines. */
export interface Progress {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export function startProgress(out: Output, text: string): Progress {
  if (!out.interactive) {
    out.info(text);
    return {
      update() {},
      succeed: (done) => out.success(done),
      fail: (failed) => out.warn(failed),
      stop() {},
    };
  }
  // Its own Ctrl-C handler puts the cursor back before exiting (130).
  const spinner = yoctoSpinner({ text, stream: process.stderr }).start();
  return {
    update: (next) => {
      spinner.text = next;
    },
    succeed: (done) => {
      spinner.success(done);
    },
    fail: (failed) => {
      spinner.warning(failed);
    },
    stop: () => {
      spinner.stop();
    },
  };
}
