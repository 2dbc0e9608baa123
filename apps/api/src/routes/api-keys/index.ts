import type { App } from "../../lib/app-env.ts";
import { registerApiKeysCreate } from "./api-keys.create.ts";
import { registerApiKeysDelete } from "./api-keys.delete.ts";
import { registerApiKeysList } from "./api-keys.list.ts";
import { registerApiKeysRotate } from "./api-keys.rotate.ts";

export function registerApiKeyRoutes(app: App): void {
  registerApiKeysCreate(app);
  registerApiKeysList(app);
  registerApiKeysDelete(app);
  registerApiKeysRotate(app);
}
