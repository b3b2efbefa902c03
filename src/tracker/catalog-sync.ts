// Re-reading one member or release into a process's catalog after the web side (or another
// process, through CATALOG_NOTIFY) changed it: the same in memory and shared mode.
import type { SqlDriver } from '../db/driver.js';
import { loadTrackerRelease, loadTrackerUser } from '../db/tracker-load.js';
import type { Catalog } from './core/catalog.js';

export interface CatalogSync {
  syncMember(id: number): Promise<void>;
  syncRelease(id: number): Promise<void>;
}

export function catalogSync(sql: SqlDriver, catalog: Catalog): CatalogSync {
  return {
    async syncMember(id) {
      const user = await loadTrackerUser(sql, id);
      if (user) catalog.setUser(user);
      else catalog.removeUser(id);
    },
    async syncRelease(id) {
      const release = await loadTrackerRelease(sql, id);
      if (release) catalog.setRelease(release);
      else catalog.removeRelease(id);
    },
  };
}
