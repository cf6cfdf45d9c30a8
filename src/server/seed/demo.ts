import type { Database } from '../db/database.js';
import { recordAudit, type AuditContext } from '../audit/audit.js';
import { insertUser } from '../services/users.js';
import type { Mandate, OrganizationKind, Role } from '../../contract/api.js';
import { labels } from '../../contract/labels.js';

/**
 * Demo data: clearly fictional companies and people (".example" domains, "(fictional)" in every
 * organization name), one user for every role. Loaded by `korus seed --demo` and by `npm start` on an
 * empty database.
 */
export const DEMO_PASSWORD = 'KorusDemo!2026';

interface DemoOrg {
  key: string;
  name: string;
  kind: OrganizationKind;
  mandates?: Mandate[];
  sme?: boolean;
}

const orgs: DemoOrg[] = [
  { key: 'hanbit', name: 'Hanbit Energy Solutions (fictional)', kind: 'investor' },
  { key: 'daeho', name: 'Daeho Precision Machinery (fictional)', kind: 'partner', sme: true },
  { key: 'seorin', name: 'Seorin Automation (fictional)', kind: 'partner', sme: true },
  { key: 'mirae', name: 'Mirae Welding & Piping (fictional)', kind: 'partner', sme: true },
  { key: 'baek', name: 'Baek & Lowell LLP (fictional)', kind: 'law_firm' },
  // The working group sees the figures (and runs the quota ledger); the embassy desk receives the batches.
  {
    key: 'gov',
    name: 'Korea–US Visa Working Group Desk (fictional)',
    kind: 'government',
    mandates: ['working_group'],
  },
  {
    key: 'kit',
    name: 'U.S. Embassy Seoul, KIT Desk (fictional)',
    kind: 'government',
    mandates: ['embassy_desk'],
  },
];

export interface DemoLogin {
  email: string;
  role: Role;
  organization: string | null;
  displayName: string;
}

const users: (DemoLogin & { org: string | null })[] = [
  {
    email: 'platform@korus.example',
    role: 'platform_admin',
    org: null,
    organization: null,
    displayName: 'Platform Administrator',
  },
  {
    email: 'admin@hanbit-energy.example',
    role: 'admin',
    org: 'hanbit',
    organization: orgs[0]!.name,
    displayName: '김서연 (Kim Seo-yeon)',
  },
  {
    email: 'staff@hanbit-energy.example',
    role: 'staff',
    org: 'hanbit',
    organization: orgs[0]!.name,
    displayName: '이준호 (Lee Jun-ho)',
  },
  {
    email: 'viewer@hanbit-energy.example',
    role: 'viewer',
    org: 'hanbit',
    organization: orgs[0]!.name,
    displayName: '박지민 (Park Ji-min)',
  },
  {
    email: 'worker@hanbit-energy.example',
    role: 'worker',
    org: 'hanbit',
    organization: orgs[0]!.name,
    displayName: '최민수 (Choi Min-su)',
  },
  {
    email: 'admin@daeho-precision.example',
    role: 'admin',
    org: 'daeho',
    organization: orgs[1]!.name,
    displayName: '정하늘 (Jung Ha-neul)',
  },
  {
    email: 'staff@daeho-precision.example',
    role: 'staff',
    org: 'daeho',
    organization: orgs[1]!.name,
    displayName: '윤도현 (Yoon Do-hyun)',
  },
  {
    email: 'admin@seorin-auto.example',
    role: 'admin',
    org: 'seorin',
    organization: orgs[2]!.name,
    displayName: '한유진 (Han Yu-jin)',
  },
  {
    email: 'admin@mirae-wp.example',
    role: 'admin',
    org: 'mirae',
    organization: orgs[3]!.name,
    displayName: '오세훈 (Oh Se-hoon)',
  },
  {
    email: 'counsel@baek-lowell.example',
    role: 'admin',
    org: 'baek',
    organization: orgs[4]!.name,
    displayName: 'Dana Lowell',
  },
  {
    email: 'officer@visa-desk.example',
    role: 'staff',
    org: 'gov',
    organization: orgs[5]!.name,
    displayName: 'Officer Jordan Reyes',
  },
  {
    email: 'admin@visa-desk.example',
    role: 'admin',
    org: 'gov',
    organization: orgs[5]!.name,
    displayName: '강민지 (Kang Min-ji)',
  },
  {
    email: 'consul@kit-desk.example',
    role: 'staff',
    org: 'kit',
    organization: orgs[6]!.name,
    displayName: 'Consular Officer Avery Morgan',
  },
  {
    email: 'admin@kit-desk.example',
    role: 'admin',
    org: 'kit',
    organization: orgs[6]!.name,
    displayName: '배수진 (Bae Su-jin)',
  },
];

export const demoLogins: DemoLogin[] = users.map(({ email, role, organization, displayName }) => ({
  email,
  role,
  organization,
  displayName,
}));

const sites = [
  {
    org: 'hanbit',
    name: 'Bryan County Battery Plant (fictional)',
    sector: 'battery',
    address: '100 Demo Parkway',
    city: 'Ellabell',
    state: 'GA',
    county: 'Bryan',
    timeZone: 'America/New_York',
  },
  {
    org: 'hanbit',
    name: 'Delaware River Shipyard (fictional)',
    sector: 'shipbuilding',
    address: '1 Demo Yard Road',
    city: 'Philadelphia',
    state: 'PA',
    county: 'Philadelphia',
    timeZone: 'America/New_York',
  },
];

/**
 * The start banner's list of the demo logins: every login the demo creates (the README lists the same ones; a
 * test holds the three together), with its role and organization in both languages.
 */
export function demoLoginLines(): string[] {
  const width = Math.max(...demoLogins.map((l) => l.email.length)) + 2;
  return [
    `  Demo logins (password for all: ${DEMO_PASSWORD}) / 데모 계정 (비밀번호 공통: ${DEMO_PASSWORD}):`,
    ...demoLogins.map((login) => {
      const role = labels('role', login.role);
      const org = login.organization ? ` · ${login.organization}` : '';
      return `    ${login.email.padEnd(width)}${role.en} / ${role.ko}${org}`;
    }),
  ];
}

export async function isEmpty(db: Database): Promise<boolean> {
  const [row] = await db.query<{ n: number }>(
    'SELECT (SELECT count(*) FROM organizations) + (SELECT count(*) FROM users) AS n',
  );
  return Number(row?.n ?? 0) === 0;
}

/** Loads the demo data in one transaction; refuses a database that already has organizations or users. */
export async function seedDemo(db: Database, requestId: string | null = null): Promise<DemoLogin[]> {
  const audit: AuditContext = {
    actorUserId: null,
    actorLabel: 'system:seed-demo',
    organizationId: null,
    requestId,
  };
  await db.transaction(async (tx) => {
    const [row] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
    if ((row?.n ?? 0) > 0)
      throw new Error(
        'The database already has organizations: demo data is loaded only into an empty database.',
      );
    const ids = new Map<string, string>();
    for (const org of orgs) {
      const [inserted] = await tx.query<{ id: string }>(
        'INSERT INTO organizations (name, kind, mandates, sme) VALUES ($1, $2, $3, $4) RETURNING id',
        [org.name, org.kind, org.mandates ?? [], org.sme ?? false],
      );
      ids.set(org.key, inserted!.id);
      await recordAudit(tx, audit, {
        action: 'organization.create',
        targetType: 'organization',
        targetId: inserted!.id,
        organizationId: inserted!.id,
        after: org,
      });
    }
    for (const partner of ['daeho', 'seorin', 'mirae']) {
      const [link] = await tx.query<{ id: string }>(
        'INSERT INTO partner_links (investor_id, partner_id) VALUES ($1, $2) RETURNING id',
        [ids.get('hanbit'), ids.get(partner)],
      );
      await recordAudit(tx, audit, {
        action: 'partner_link.create',
        targetType: 'partner_link',
        targetId: link!.id,
        organizationId: ids.get('hanbit')!,
      });
    }
    for (const site of sites) {
      const [inserted] = await tx.query<{ id: string }>(
        `INSERT INTO sites (organization_id, name, sector, address, city, state, county, time_zone)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          ids.get(site.org),
          site.name,
          site.sector,
          site.address,
          site.city,
          site.state,
          site.county,
          site.timeZone,
        ],
      );
      await recordAudit(tx, audit, {
        action: 'site.create',
        targetType: 'site',
        targetId: inserted!.id,
        organizationId: ids.get(site.org)!,
        after: site,
      });
    }
    for (const user of users) {
      await insertUser(tx, audit, {
        email: user.email,
        displayName: user.displayName,
        role: user.role,
        organizationId: user.org ? ids.get(user.org)! : null,
        password: DEMO_PASSWORD,
      });
    }
    await recordAudit(tx, audit, {
      action: 'system.seed_demo',
      targetType: 'instance',
      targetId: null,
      organizationId: null,
    });
  });
  return demoLogins;
}
