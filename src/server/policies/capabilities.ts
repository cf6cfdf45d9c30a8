import type { Mandate, OrganizationKind, Role } from '../../contract/api.js';
import { ApiError } from '../http/problem.js';

/**
 * Roles are checked here and nowhere else: a route names the capability it needs; services scope every
 * query to the actor's organization (see `scope.ts`).
 */
export const capabilities = [
  'admin.organizations', // create organizations, see all of them
  'admin.partner_links', // link partner firms to an investor
  'admin.contacts', // the organization's counsel and emergency contacts (own organization; platform admin: all)
  'admin.security', // the organization's sign-in policy: 2FA for administrators, single sign-on (OIDC)
  'admin.users', // create users, reset passwords (own organization; platform admin: all)
  'admin.tokens', // see and revoke the organization's API tokens
  'tokens.own', // create and revoke one's own API tokens
  'assessments.create',
  'assessments.read',
  'rules.read',
  'audit.read',
  'profile.own',
  'quota.read', // quota status, utilization, waitlist; the organization's own cases' reservations
  'quota.write', // reserve, issue, release, close a fiscal year, run the lottery (government organizations only)
  'quota.register', // register beneficiaries for a lottery (employers and counsel; officers on their behalf)
  'quota.admin', // run the reservation expiry on demand (government administrators)
  'pipeline.read', // sites, projects, workers, assignments, cases, batches the organization may see
  'pipeline.write', // create and change them; move cases through their stages; upload documents
  'cases.override', // open a case the guidelines found ineligible, skip a stage (with a written reason)
  'stats.read', // lead-time statistics (companies: their own; officers: everyone's, aggregated)
  'notifications.own', // one's own notification centre (alerts addressed to the user)
  'alerts.admin', // run the alert scan on demand (the organization's administrators)
  'desk.read', // an embassy desk's inbox: batches sent to it, its interview calendar (issue 17)
  'desk.write', // acknowledge or return a batch, schedule interviews, record outcomes, set the calendar
  'console.read', // the working group's console: de-identified figures and their exports (issue 17)
  'console.admin', // rebuild the console's aggregate layer on demand
  'messages.read', // a case's messages (HR, counsel, the worker on their own case; issue 18)
  'messages.write', // write on a case's thread (internal notes: HR and counsel only)
  'simulations.run', // run policy simulations and read the organization's (issue 21; working groups too)
  'webhooks.manage', // the organization's webhook endpoints and their delivery log (issue 18)
  'questionnaire.own', // a worker fills in and submits the questionnaire of their own case (issue 18)
  'documents.own', // a worker uploads the documents their own case's checklist asks for (issue 18)
  'contribution.read', // the contribution ledger of the organization's projects and its indicators (issue 20)
  'contribution.write', // record investment, jobs, training, milestones; attach evidence packs to cases
  'contribution.report', // the working group's contribution report by sector and investor (aggregates)
  'contribution.policy', // compute and publish the quota pool policy derived from the ledger (working groups)
  'contribution.own', // a worker's own record of the training they gave
  'settlement.read', // workers' settlement plans (issue 19): HR of the employer and its investor, counsel
  'settlement.write', // choose a worker's plan goal and the facts the records lack
  'settlement.own', // a worker's own plan, its PDF, and the directory near their site
  'directory.read', // the overseas-Korean directory near sites
  'directory.write', // keep a site's directory (the investor that owns the site, government organizations)
  'settlement.aggregates', // the working group's settlement figures (families, school-age children, green cards)
] as const;
export type Capability = (typeof capabilities)[number];

const byRole: Record<Role, readonly Capability[]> = {
  platform_admin: capabilities,
  admin: [
    'admin.partner_links',
    'admin.contacts',
    'admin.security',
    'admin.users',
    'admin.tokens',
    'tokens.own',
    'assessments.create',
    'assessments.read',
    'rules.read',
    'audit.read',
    'profile.own',
    'quota.read',
    'quota.write',
    'quota.register',
    'quota.admin',
    'pipeline.read',
    'pipeline.write',
    'cases.override',
    'stats.read',
    'notifications.own',
    'alerts.admin',
    'desk.read',
    'desk.write',
    'console.read',
    'console.admin',
    'messages.read',
    'messages.write',
    'webhooks.manage',
    'simulations.run',
    'contribution.read',
    'contribution.write',
    'contribution.report',
    'contribution.policy',
    'settlement.read',
    'settlement.write',
    'directory.read',
    'directory.write',
    'settlement.aggregates',
  ],
  staff: [
    'tokens.own',
    'assessments.create',
    'assessments.read',
    'rules.read',
    'profile.own',
    'quota.read',
    'quota.write',
    'quota.register',
    'pipeline.read',
    'pipeline.write',
    'stats.read',
    'notifications.own',
    'desk.read',
    'desk.write',
    'console.read',
    'messages.read',
    'messages.write',
    'simulations.run',
    'contribution.read',
    'contribution.write',
    'contribution.report',
    'settlement.read',
    'settlement.write',
    'directory.read',
    'directory.write',
    'settlement.aggregates',
  ],
  // Viewers receive no alerts (recipients are administrators, staff and the worker concerned).
  viewer: [
    'assessments.read',
    'rules.read',
    'profile.own',
    'quota.read',
    'pipeline.read',
    'stats.read',
    'desk.read',
    'console.read',
    'messages.read',
    'contribution.read',
    'contribution.report',
    'settlement.read',
    'directory.read',
    'settlement.aggregates',
  ],
  worker: [
    'rules.read',
    'profile.own',
    'notifications.own',
    'messages.read',
    'messages.write',
    'documents.own',
    'questionnaire.own',
    'contribution.own',
    'settlement.own',
  ],
};

export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  role: Role;
  locale: 'en' | 'ko' | null;
  organizationId: string | null;
  organizationName: string | null;
  organizationKind: OrganizationKind | null;
  /** A government organization's mandates: an embassy desk, a working group, or both (issue 17). */
  mandates?: readonly Mandate[];
  via: 'session' | 'token';
  /** A session made by single sign-on (OIDC) rather than a password. */
  sso?: boolean;
  /** Whether the user has a second factor (TOTP) turned on. */
  twoFactorEnabled?: boolean;
  /** Whether the user's organization requires a second factor of them (administrators, when it says so). */
  twoFactorRequired?: boolean;
  sessionId?: string;
  tokenId?: string;
}

/**
 * Capabilities that also depend on the kind of the actor's organization (platform administrators excepted):
 * the quota ledger is run by government officers; lottery registrations are filed by employers and counsel.
 */
const onlyForKinds: Partial<Record<Capability, readonly OrganizationKind[]>> = {
  'quota.write': ['government'],
  'quota.register': ['investor', 'partner', 'law_firm', 'government'],
  'quota.admin': ['government'],
  // Officers see the pipeline only as aggregated statistics.
  'pipeline.read': ['investor', 'partner', 'law_firm'],
  'pipeline.write': ['investor', 'partner', 'law_firm'],
  'cases.override': ['investor', 'partner'],
  // Alerts concern the workers an organization employs.
  'alerts.admin': ['investor', 'partner'],
  // Messages are between the case's people; officers have no part in a case's thread.
  'messages.read': ['investor', 'partner', 'law_firm'],
  'messages.write': ['investor', 'partner', 'law_firm'],
  // Webhooks carry case and entry events: the organizations that have cases.
  'webhooks.manage': ['investor', 'partner', 'law_firm'],
  'simulations.run': ['investor', 'partner', 'law_firm', 'government'],
  // The ledger is the companies'; officers read it only as the working group's aggregates.
  'contribution.read': ['investor', 'partner'],
  'contribution.write': ['investor', 'partner'],
  // Plans concern the people an organization employs or represents; officers see only the aggregates.
  'settlement.read': ['investor', 'partner', 'law_firm'],
  'settlement.write': ['investor', 'partner', 'law_firm'],
  'directory.read': ['investor', 'partner', 'law_firm', 'government'],
  'directory.write': ['investor', 'government'],
};

/** Capabilities a government organization has only with a mandate, while other kinds have them by kind. */
const governmentMandate: Partial<Record<Capability, Mandate>> = {
  'simulations.run': 'working_group',
};

/**
 * Capabilities a government organization has by its mandate (issue 17): the desk's inbox for an embassy desk,
 * the console for a working group. Platform administrators have both.
 */
const onlyForMandates: Partial<Record<Capability, Mandate>> = {
  'desk.read': 'embassy_desk',
  'desk.write': 'embassy_desk',
  'console.read': 'working_group',
  'console.admin': 'working_group',
  'contribution.report': 'working_group',
  'contribution.policy': 'working_group',
  'settlement.aggregates': 'working_group',
};

type ActorKind = Pick<Actor, 'role' | 'organizationKind'> & { mandates?: Actor['mandates'] };

function kindAllows(actor: ActorKind, capability: Capability): boolean {
  if (actor.role === 'platform_admin') return true;
  const mandate = onlyForMandates[capability];
  if (mandate && !(actor.organizationKind === 'government' && (actor.mandates ?? []).includes(mandate)))
    return false;
  const needed = governmentMandate[capability];
  if (needed && actor.organizationKind === 'government' && !(actor.mandates ?? []).includes(needed))
    return false;
  const kinds = onlyForKinds[capability];
  if (!kinds) return true;
  return actor.organizationKind !== null && kinds.includes(actor.organizationKind);
}

export function capabilitiesOf(actor: ActorKind): readonly Capability[] {
  return byRole[actor.role].filter((capability) => kindAllows(actor, capability));
}

/** Whether the actor's role grants the capability and, where it matters, their organization's kind does too. */
export function can(actor: ActorKind, capability: Capability): boolean {
  return byRole[actor.role].includes(capability) && kindAllows(actor, capability);
}

/** Who sees every case of the quota ledger (not only their own organization's): officers and platform admins. */
export function seesAllQuotaCases(actor: Pick<Actor, 'role' | 'organizationKind'>): boolean {
  return actor.role === 'platform_admin' || actor.organizationKind === 'government';
}

export function requireCapability(actor: Actor, capability: Capability): void {
  if (!can(actor, capability)) throw new ApiError('auth.forbidden');
}

export function isPlatformAdmin(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'platform_admin';
}

/** Which roles an actor may hand out: nobody but a platform admin creates platform admins. */
export function assignableRoles(actor: Actor): readonly Role[] {
  return isPlatformAdmin(actor)
    ? ['platform_admin', 'admin', 'staff', 'viewer', 'worker']
    : ['admin', 'staff', 'viewer', 'worker'];
}

/**
 * A password session of an administrator whose organization requires 2FA, without a second factor yet: it may
 * only enrol (and read who it is, change language, sign out). Single sign-on sessions leave MFA to the provider.
 */
export function mustEnrollTwoFactor(actor: Actor): boolean {
  return actor.via === 'session' && !actor.sso && !!actor.twoFactorRequired && !actor.twoFactorEnabled;
}
