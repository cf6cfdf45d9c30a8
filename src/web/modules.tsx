import type { ReactNode } from 'react';
import type { Me } from '../contract/api.js';
import { HomePage } from './pages/Home.js';
import { AdminPage } from './pages/Admin.js';
import { AssessmentsModule } from './pages/Assessments.js';
import { CasesModule } from './pages/Cases.js';
import { QuotaDashboard } from './pages/QuotaDashboard.js';
import { RulesPage } from './pages/Rules.js';
import { WorkersModule } from './pages/Workers.js';
import { ImportPage } from './pages/Import.js';
import { AlertsPage } from './pages/Alerts.js';
import { RosterPage } from './pages/Roster.js';
import { ProjectsModule } from './pages/Projects.js';
import { BatchesModule } from './pages/Batches.js';
import { ProfilePage } from './pages/Profile.js';
import { subPath } from './router.js';

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
    render: (me, rest) => <BatchesModule me={me} rest={rest} />,
  },
  {
    path: '/me',
    label: 'nav.profile',
    description: 'home.moduleProfile',
    capability: 'profile.own',
    render: () => <ProfilePage />,
  },
  {
    path: '/roster',
    label: 'nav.roster',
    description: 'home.moduleRoster',
    capability: 'pipeline.read',
    render: () => <RosterPage />,
  },
  {
    path: '/imports',
    label: 'nav.imports',
    description: 'home.moduleImports',
    capability: 'pipeline.write',
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
    path: '/admin',
    label: 'nav.admin',
    description: 'home.moduleAdmin',
    anyCapability: ['admin.users', 'admin.organizations', 'admin.tokens', 'tokens.own'],
    render: (me) => <AdminPage me={me} />,
  },
];

export function visibleModules(me: Me): Module[] {
  return modules.filter(
    (m) =>
      (!m.capability || me.capabilities.includes(m.capability)) &&
      (!m.anyCapability || m.anyCapability.some((c) => me.capabilities.includes(c))),
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
