// /guide: the newcomers' guide (how BitTorrent works, which client, how to seed and why, and
// the ratio rules with the site's live numbers), plus what the staff added to it, in the
// reader's language. Anyone may read it; the home page, the banners and the welcome link here.
import type { FastifyInstance } from 'fastify';
import { render } from '../render.js';
import { renderedSections } from '../rules/rendered-sections.js';
import { loadLiveRules } from '../rules/settings-queries.js';
import { guideView } from './guide-view.js';

export async function guideRoutes(app: FastifyInstance): Promise<void> {
  app.get('/guide', async (request, reply) => {
    const live = await loadLiveRules(app);
    const sections = await renderedSections(app, 'guide', request.locale);
    return render(request, reply, 'pages/guide', { title: request.t('guide.title'), guide: guideView(live), sections });
  });
}
