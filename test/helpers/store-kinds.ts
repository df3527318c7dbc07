import type { AppStore } from "../../src/core/ports.ts";
import type { Provider } from "../../src/store/db.ts";
import { MemoryStore } from "../../src/store/memory/index.ts";
import { createTestStore, PROVIDERS } from "./db.ts";

// The store contract runs on every implementation: in memory, and on each database in PROVIDERS.

export type StoreKind = "memory" | Provider;

export const STORE_KINDS: StoreKind[] = ["memory", ...PROVIDERS];

export interface ContractStore {
  kind: StoreKind;
  store: AppStore;
  /** What no port can do (nothing in the app marks a workspace uninstalled without deleting it). */
  markUninstalled(workspaceId: string, at: Date): Promise<void>;
  cleanup(): Promise<void>;
}

/** A fresh, empty store of that kind (a migrated scratch database for the SQL ones). */
export async function openContractStore(kind: StoreKind): Promise<ContractStore> {
  if (kind === "memory") {
    const store = new MemoryStore();
    return {
      kind,
      store,
      markUninstalled: async (id, at) => {
        const row = store.state.workspaces.get(id);
        if (row) row.uninstalledAt = at;
      },
      cleanup: async () => {},
    };
  }
  const t = await createTestStore(kind);
  return {
    kind,
    store: t.store,
    markUninstalled: async (id, at) => {
      await t.database.db.workspace.update({ where: { id }, data: { uninstalledAt: at } });
    },
    cleanup: t.cleanup,
  };
}
