// Active warnings follow a member on every page: this hook (registered with fastify-plugin so
// it reaches the whole web context, after the session is loaded) adds them to request.user,
// which render() passes to the layout as `me`; views/partials/warnings.hbs shows them.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { listActiveWarnings } from './member-queries.js';

async function warningsHook(app: FastifyInstance): Promise<void> {
  app.addHook('preHandler', async (request) => {
    if (!request.user || request.method !== 'GET') return;
    const warnings = await listActiveWarnings(app.db.prisma, request.user.id, app.clock.now());
    if (warnings.length > 0) Object.assign(request.user, { warnings });
  });
}

export const memberWarnings = fp(warningsHook, { name: 'seedkeep-member-warnings' });
