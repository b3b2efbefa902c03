// The web route groups, in the order they are registered. Each group is a plugin in
// src/web/<area>/routes.ts.
import type { FastifyInstance } from 'fastify';
import { adminRoutes, memberWarnings } from './admin/routes.js';
import { tokenRoutes } from './api/token-routes.js';
import { authRoutes } from './auth/routes.js';
import { recoveryRoutes } from './auth/recovery/routes.js';
import { privacyRoutes } from './privacy/routes.js';
import { bookmarkRoutes } from './bookmarks/routes.js';
import { personalFeedRoutes } from './notifications/feed-routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { unreadNotifications } from './notifications/unread-hook.js';
import { homeRoutes } from './home/routes.js';
import { appealRoutes } from './inbox/appeal.js';
import { inboxRoutes } from './inbox/routes.js';
import { staffInboxRoutes } from './inbox/staff-routes.js';
import { commentRoutes } from './comments/routes.js';
import { newsRoutes } from './news/routes.js';
import { reportRoutes } from './reports/routes.js';
import { staffReportRoutes } from './reports/staff-routes.js';
import { inviteRoutes } from './invites/routes.js';
import { languageRoutes } from './language/routes.js';
import { guideRoutes } from './guide/routes.js';
import { inviteTreeRoutes } from './invites/tree-routes.js';
import { releaseRoutes } from './releases/routes.js';
import { requestRoutes } from './requests/routes.js';
import { rssRoutes } from './rss/routes.js';
import { rulesRoutes } from './rules/routes.js';
import { sessionRoutes } from './sessions/routes.js';
import { shopRoutes } from './shop/routes.js';
import { staffTwoFactorRequirement } from './two-factor/staff-requirement.js';
import { twoFactorRoutes } from './two-factor/routes.js';
import { userRoutes } from './users/routes.js';

export const webRouteGroups: Array<(app: FastifyInstance) => Promise<void>> = [
  memberWarnings, staffTwoFactorRequirement, unreadNotifications, homeRoutes, authRoutes, recoveryRoutes, inviteRoutes, inviteTreeRoutes,
  releaseRoutes, userRoutes, sessionRoutes, twoFactorRoutes, privacyRoutes, bookmarkRoutes, notificationRoutes, personalFeedRoutes,
  shopRoutes, requestRoutes, tokenRoutes, rssRoutes, rulesRoutes, languageRoutes, guideRoutes,
  inboxRoutes, appealRoutes, staffInboxRoutes, reportRoutes, staffReportRoutes, commentRoutes, newsRoutes, adminRoutes,
];
