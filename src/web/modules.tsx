import type { ReactNode } from 'react';
import type { Me } from '../contract/api.js';
import { HomePage } from './pages/Home.js';
import { AdminPage } from './pages/Admin.js';

/**
 * The modules of the app frame. A later issue adds its screens by adding one entry: a path, a message key
 * for its navigation label, the capability that shows it, and the page.
 */
export interface Module {
  path: string;
  label: string;
  capability?: string;
  anyCapability?: string[];
  render: (me: Me) => ReactNode;
}

export const modules: Module[] = [
  { path: '/', label: 'nav.home', render: (me) => <HomePage me={me} /> },
  {
    path: '/admin',
    label: 'nav.admin',
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
