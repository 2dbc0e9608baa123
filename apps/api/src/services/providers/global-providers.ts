import type { GlobalProviderConfig } from "../../config-providers.ts";
import type { Provider } from "../../mail/provider.ts";
import { globalProviderTransport } from "./provider-transport.ts";

/** The installation's chain, in order, each with its transport (config.providers). */
export function createGlobalProviders(configs: readonly GlobalProviderConfig[]): Provider[] {
  return configs.map((config) => ({
    key: `global:${config.name}`,
    name: config.name,
    id: null,
    transport: globalProviderTransport(config),
    ratePerSecond: config.ratePerSecond,
  }));
}
