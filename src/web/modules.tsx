import { Component, lazy, Suspense, type ReactNode } from 'react';
import type { Me } from '../contract/api.js';
import { useI18n } from './i18n/i18n.js';
import { subPath } from './router.js';
// In the main chunk anyway: the frame's unread badge imports its change event from it.
import { AlertsPage } from './pages/Alerts.js';

// Each page is loaded on first use, in a chunk of its own (`vite build` splits at each `import()`): the main
// bundle keeps the frame, the sign-in page, the router and the messages.
const HomePage = lazy(() => import('./pages/Home.js').then((m) => ({ default: m.HomePage })));
const ContributionPage = lazy(() =>
  import('./pages/Contribution.js').then((m) => ({ default: m.ContributionPage })),
);
const SimulatorPage = lazy(() => import('./pages/Simulator.js').then((m) => ({ default: m.SimulatorPage })));
const AdminPage = lazy(() => import('./pages/Admin.js').then((m) => ({ default: m.AdminPage })));
const AssessmentsModule = lazy(() =>
  import('./pages/Assessments.js').then((m) => ({ default: m.AssessmentsModule })),
);
const CasesModule = lazy(() => import('./pages/Cases.js').then((m) => ({ default: m.CasesModule })));
const QuotaDashboard = lazy(() =>
  import('./pages/QuotaDashboard.js').then((m) => ({ default: m.QuotaDashboard })),
);
const RulesPage = lazy(() => import('./pages/Rules.js').then((m) => ({ default: m.RulesPage })));
const WorkersModule = lazy(() => import('./pages/Workers.js').then((m) => ({ default: m.WorkersModule })));
const ImportPage = lazy(() => import('./pages/Import.js').then((m) => ({ default: m.ImportPage })));
const RosterPage = lazy(() => import('./pages/Roster.js').then((m) => ({ default: m.RosterPage })));
const ProjectsModule = lazy(() => import('./pages/Projects.js').then((m) => ({ default: m.ProjectsModule })));
const BatchesModule = lazy(() => import('./pages/Batches.js').then((m) => ({ default: m.BatchesModule })));
const ProfilePage = lazy(() => import('./pages/Profile.js').then((m) => ({ default: m.ProfilePage })));
const DeskModule = lazy(() => import('./pages/Desk.js').then((m) => ({ default: m.DeskModule })));
const ConsolePage = lazy(() => import('./pages/Console.js').then((m) => ({ default: m.ConsolePage })));
const FamilyPage = lazy(() => import('./pages/Family.js').then((m) => ({ default: m.FamilyPage })));
const DirectoryPage = lazy(() =>
  import('./pages/DirectoryPage.js').then((m) => ({ default: m.DirectoryPage })),
);
const AccountPage = lazy(() => import('./account/Account.js').then((m) => ({ default: m.AccountPage })));

/** What shows while a page's chunk loads: a polite live region, in the reader's language. */
export function PageLoading() {
  const { t } = useI18n();
  return (
    <p className="loading page-loading" role="status" aria-live="polite" aria-busy="true">
      <span className="spinner" aria-hidden="true" /> {t('app.loadingPage')}
    </p>
  );
}

function PageLoadFailed() {
  const { t } = useI18n();
  return (
    <div className="notice notice-error" role="alert">
      <p>{t('app.pageLoadFailed')}</p>
      {/* React keeps a failed lazy import; loading the document again fetches the chunk anew. */}
      <button type="button" className="button-secondary" onClick={() => window.location.reload()}>
        {t('app.retry')}
      </button>
    </div>
  );
}

/** Catches a page chunk that cannot be fetched (offline, or replaced by a new release) and says so. */
class PageErrorBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? <PageLoadFailed /> : this.props.children;
  }
}

/** Where a lazily loaded page mounts: the loading indicator while its chunk arrives, a message if it cannot. */
export function PageSlot({ children }: { children: ReactNode }) {
  return (
    <PageErrorBoundary>
      <Suspense fallback={<PageLoading />}>{children}</Suspense>
    </PageErrorBoundary>
  );
}

/**
 * The modules of the app frame. A later issue adds its screens by adding one entry: a path, a message key
 * for its navigation label (and, optionally, a one-line description shown on the overview), the capability
 * that shows it, and the page. A module owns every path under its own: `render` receives the rest
 * (`/assessments/42` -> `'42'`).
 */
export interface Module {
  path: string;
  label: string;
  description?: string;
  capability?: string;
  anyCapability?: string[];
  /** Reached from the header (the account), not listed in the navigation. */
  header?: boolean;
  /** Beyond the capability: whether this user can use the module (the menu shows only what one can use). */
  visible?: (me: Me) => boolean;
  render: (me: Me, rest: string) => ReactNode;
}

export const modules: Module[] = [
  { path: '/', label: 'nav.home', render: (me) => <HomePage me={me} /> },
  {
    path: '/assessments',
    label: 'nav.assessments',
    description: 'home.moduleAssessments',
    capability: 'assessments.read',
    render: (me, rest) => <AssessmentsModule me={me} rest={rest} />,
  },
  {
    path: '/cases',
    label: 'nav.cases',
    description: 'home.moduleCases',
    capability: 'pipeline.read',
    render: (me, rest) => <CasesModule me={me} rest={rest} />,
  },
  {
    // Officers have no case board (no person is theirs to see): the lead times are their own page.
    path: '/cases/stats',
    label: 'nav.stats',
    capability: 'stats.read',
    visible: (me) => me.organization?.kind === 'government',
    render: (me) => <CasesModule me={me} rest="stats" />,
  },
  {
    path: '/workers',
    label: 'nav.workers',
    description: 'home.moduleWorkers',
    capability: 'pipeline.read',
    render: (me, rest) => <WorkersModule me={me} rest={rest} />,
  },
  {
    path: '/projects',
    label: 'nav.projects',
    description: 'home.moduleProjects',
    capability: 'pipeline.read',
    render: (me, rest) => <ProjectsModule me={me} rest={rest} />,
  },
  {
    path: '/batches',
    label: 'nav.batches',
    description: 'home.moduleBatches',
    capability: 'pipeline.read',
    // Batches are the employers' (counsel works case by case).
    visible: (me) => me.organization?.kind !== 'law_firm',
    render: (me, rest) => <BatchesModule me={me} rest={rest} />,
  },
  {
    // The embassy desk's inbox (issue 17): batches sent to the officer's desk.
    path: '/desk',
    label: 'nav.desk',
    description: 'home.moduleDesk',
    capability: 'desk.read',
    render: (me, rest) => <DeskModule me={me} rest={rest} />,
  },
  {
    // The working group's console (issue 17): de-identified figures for both governments.
    path: '/console',
    label: 'nav.console',
    description: 'home.moduleConsole',
    capability: 'console.read',
    render: (me) => <ConsolePage me={me} />,
  },
  {
    // The contribution ledger (issue 20): companies record and read theirs; working groups read the report.
    path: '/contribution',
    label: 'nav.contribution',
    description: 'home.moduleContribution',
    anyCapability: ['contribution.read', 'contribution.report'],
    render: (me) => <ContributionPage me={me} />,
  },
  {
    // The policy simulator (issue 21): lead times under each policy, for companies and working groups.
    path: '/simulator',
    label: 'nav.simulator',
    description: 'home.moduleSimulator',
    capability: 'simulations.run',
    render: (me) => <SimulatorPage canReadPolicies={me.capabilities.includes('contribution.report')} />,
  },
  {
    // The worker's family plan and the directory near their site (issue 19), on their phone.
    path: '/family',
    label: 'nav.family',
    description: 'home.moduleFamily',
    capability: 'settlement.own',
    render: () => <FamilyPage />,
  },
  {
    // The overseas-Korean directory near each site (issue 19): kept by the investor and government organizations.
    path: '/directory',
    label: 'nav.directory',
    description: 'home.moduleDirectory',
    capability: 'directory.read',
    render: (me) => <DirectoryPage me={me} />,
  },
  {
    path: '/me',
    label: 'nav.profile',
    description: 'home.moduleProfile',
    capability: 'profile.own',
    // A worker's own record; other accounts have none.
    visible: (me) => me.user.role === 'worker',
    render: () => <ProfilePage />,
  },
  {
    path: '/roster',
    label: 'nav.roster',
    description: 'home.moduleRoster',
    capability: 'pipeline.read',
    visible: (me) => me.organization?.kind !== 'law_firm',
    render: () => <RosterPage />,
  },
  {
    path: '/imports',
    label: 'nav.imports',
    description: 'home.moduleImports',
    capability: 'pipeline.write',
    // Rosters are imported by employers.
    visible: (me) =>
      me.organization?.kind === 'investor' || me.organization?.kind === 'partner' || !me.organization,
    render: (me) => <ImportPage me={me} />,
  },
  {
    path: '/alerts',
    label: 'nav.alerts',
    description: 'home.moduleAlerts',
    capability: 'notifications.own',
    render: (me) => <AlertsPage me={me} />,
  },
  {
    path: '/quota',
    label: 'nav.quota',
    description: 'home.moduleQuota',
    capability: 'quota.read',
    // The ledger is the governments'; an investor's administrators plan with it; others have no use for it.
    visible: (me) =>
      !me.organization ||
      me.organization.kind === 'government' ||
      (me.organization.kind === 'investor' && me.user.role === 'admin'),
    render: (me, rest) => <QuotaDashboard me={me} rest={rest} />,
  },
  {
    path: '/rules',
    label: 'nav.rules',
    description: 'home.moduleRules',
    capability: 'rules.read',
    render: () => <RulesPage />,
  },
  {
    path: '/card',
    label: 'nav.card',
    capability: 'profile.own',
    visible: (me) => me.user.role === 'worker',
    // The card page is public and offline (App renders it outside the frame); this entry puts it in the menu.
    render: () => null,
  },
  {
    path: '/account',
    label: 'nav.account',
    header: true,
    render: (me) => <AccountPage me={me} />,
  },
  {
    path: '/admin',
    label: 'nav.admin',
    description: 'home.moduleAdmin',
    anyCapability: ['admin.users', 'admin.organizations', 'admin.tokens', 'tokens.own'],
    render: (me) => <AdminPage me={me} />,
  },
];

export function visibleModules(me: Me): Module[] {
  // An administrator whose organization requires two-factor sign-in, not yet enrolled: only their account.
  if (me.twoFactor.mustEnroll) return modules.filter((m) => m.path === '/account');
  return modules.filter(
    (m) =>
      (!m.capability || me.capabilities.includes(m.capability)) &&
      (!m.anyCapability || m.anyCapability.some((c) => me.capabilities.includes(c))) &&
      (!m.visible || m.visible(me)),
  );
}

/** The visible module that owns `path`, and the rest of the path inside it. */
export function moduleAt(visible: Module[], path: string): { module: Module; rest: string } | undefined {
  for (const module of visible) {
    const rest = subPath(module.path, path);
    if (rest !== null) return { module, rest };
  }
  return undefined;
}
