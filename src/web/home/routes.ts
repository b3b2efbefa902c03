// The front page: what's new, and the way in for visitors.
import type { FastifyInstance } from 'fastify';
import { render } from '../render.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    return render(request, reply, 'pages/home', { title: request.t('home.title') });
  });
}
