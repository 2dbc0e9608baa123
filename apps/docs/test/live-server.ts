// The API's own launcher of live-server.ts, shared with the SDK's and the CLI's tests.
import { startLiveServer } from "../../api/scripts/start-live-server.ts";

export { startLiveServer };
/** A running live server: its URL, keys and SMTP catcher, and how to stop it. */
export type LiveServer = Awaited<ReturnType<typeof startLiveServer>>;
