import type { App } from "../../lib/app-env.ts";
import { registerProvidersCreate } from "./providers.create.ts";
import { registerProvidersDelete } from "./providers.delete.ts";
import { registerProvidersGet } from "./providers.get.ts";
import { registerProvidersList } from "./providers.list.ts";
import { registerProvidersUpdate } from "./providers.update.ts";

export function registerProviderRoutes(app: App): void {
  registerProvidersCreate(app);
  registerProvidersList(app);
  registerProvidersGet(app);
  registerProvidersUpdate(app);
  registerProvidersDelete(app);
}
