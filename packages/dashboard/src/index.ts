export { startDashboard, type Dashboard, type DashboardOptions } from './server/dashboard-server.js';
export { RunFeed, type FeedListener, type RunFeedOptions } from './server/run-feed.js';
export { RunViewBuilder, describeClaim } from './view/run-view-builder.js';
export type * from './view/view-types.js';
export { guardRequest, cookieToken, type GuardDecision, type RequestFacts } from './guard/request-guard.js';
export { pageText, maxTextLength } from './text/page-text.js';
export { Redactor, redactedMark } from './text/redactor.js';
export { DashboardListenError } from './errors/dashboard-listen-error.js';
