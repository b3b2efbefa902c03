// The front page: for visitors the way in; for members the staff news, the latest releases,
// the site's statistics and their own situation (home-view.ts).
import type { FastifyInstance } from 'fastify';
import { render } from '../render.js';
import { homeView } from './home-view.js';

export async function homeRoutes(app: FastifyInstance): Promise<void> {
  app.get('/', async (request, reply) => {
    if (!request.user) return render(request, reply, 'pages/home', { title: request.t('home.title') });
    reply.header('Cache-Control', 'private, no-store');
    return render(request, reply, 'pages/home', { title: request.t('home.title'), ...(await homeView(app, request.user, request.locale)) });
  });
}
