import { lookKeys } from '../chat/nickname';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

/** Which backend to open: PostgreSQL when a URL is given, else SQLite in `dataDir`. */
export interface StoreSettings {
  dataDir: string;
  databaseUrl: string | undefined;
}

/**
 * Opens the configured store, migrated and ready (members stored before look-alike keys
 * existed get theirs); says which one for the start-up log.
 */
export async function openStore(
  settings: StoreSettings,
): Promise<{ store: Store; description: string }> {
  const opened = await openBackend(settings);
  await opened.store.fillLookKeys(lookKeys);
  return opened;
}

async function openBackend(
  settings: StoreSettings,
): Promise<{ store: Store; description: string }> {
  if (settings.databaseUrl) {
    const url = new URL(settings.databaseUrl);
    return {
      store: await PostgresStore.open({ connectionString: settings.databaseUrl }),
      description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`,
    };
  }
  return {
    store: SqliteStore.open(settings.dataDir),
    description: `SQLite in ${settings.dataDir}`,
  };
}
