// The staff pages (/admin/...) and the members' bonus page, registered as one route group.
import type { FastifyInstance } from 'fastify';
import { bonusRoutes } from './bonus-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { economyAdminRoutes } from './economy-routes.js';
import { logRoutes } from './log-routes.js';
import { memberRoutes } from './members-routes.js';
import { releaseAdminRoutes } from './releases-routes.js';
import { settingsRoutes } from './settings-routes.js';
import { memberWarnings } from './warnings-hook.js';

export async function adminRoutes(app: FastifyInstance): Promise<void> {
  await app.register(dashboardRoutes);
  await app.register(memberRoutes);
  await app.register(releaseAdminRoutes);
  await app.register(settingsRoutes);
  await app.register(economyAdminRoutes);
  await app.register(logRoutes);
  await app.register(bonusRoutes);
}

/** Registered separately (not encapsulated): its hook must run for every page. */
export { memberWarnings };
