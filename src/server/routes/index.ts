import type { App } from '../http/fastify.js';
import type { AppOptions } from '../app-options.js';
import { authRoutes } from './auth/index.js';
import { organizationRoutes } from './organizations/index.js';
import { partnerLinkRoutes } from './partner-links/index.js';
import { userRoutes } from './users/index.js';
import { tokenRoutes } from './tokens/index.js';
import { auditRoutes } from './audit/index.js';
import { siteRoutes } from './sites/index.js';
import { assessmentRoutes } from './assessments/index.js';
import { rulesRoutes } from './rules/index.js';
import { quotaRoutes } from './quota/index.js';
import { pipelineRoutes } from './pipeline/index.js';
import { presenceRoutes } from './presence/index.js';
import { importRoutes } from './imports/index.js';
import { alertRoutes } from './alerts/index.js';
import { deskRoutes } from './desk/index.js';
import { consularRoutes } from './consular/index.js';
import { consoleRoutes } from './console/index.js';
import { messageRoutes } from './messages/index.js';
import { calendarRoutes } from './calendar/index.js';
import { uscisRoutes } from './uscis/index.js';
import { webhookRoutes } from './webhooks/index.js';
import { questionnaireRoutes } from './questionnaires/index.js';
import { attestationRoutes } from './attestations/index.js';
import { simulationRoutes } from './simulations/index.js';
import { contributionRoutes } from './contribution/index.js';
import { settlementRoutes } from './settlement/index.js';

/** Every API resource is a folder holding its routes; routes are thin: schema, capability, service call. */
export async function registerRoutes(app: App, options: AppOptions): Promise<void> {
  for (const routes of [
    authRoutes,
    organizationRoutes,
    partnerLinkRoutes,
    userRoutes,
    tokenRoutes,
    auditRoutes,
    siteRoutes,
    assessmentRoutes,
    rulesRoutes,
    quotaRoutes,
    pipelineRoutes,
    presenceRoutes,
    importRoutes,
    alertRoutes,
    deskRoutes,
    consularRoutes,
    consoleRoutes,
    messageRoutes,
    calendarRoutes,
    uscisRoutes,
    webhookRoutes,
    questionnaireRoutes,
    attestationRoutes,
    simulationRoutes,
    contributionRoutes,
    settlementRoutes,
  ]) {
    await routes(app, options);
  }
}
