import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractExampleRequest } from '../../contract/assessment-example.js';
import { multipartFile, openTestApp, Session, TEST_PDF, type TestApp } from '../testing/app.js';
import { testDatabaseKinds } from '../testing/databases.js';
import { DEMO_PASSWORD } from '../seed/demo.js';
import type { Role } from '../../contract/api.js';

/**
 * Calls every API route as every role of two unrelated organizations and proves that nothing of one
 * organization reaches the other: no name, e-mail or id of organization B in any answer to A, and every
 * attempt on B's records by id is refused. A route added without an entry here fails the test.
 */
interface OrgFixture {
  orgId: string;
  orgName: string;
  partnerId: string;
  partnerName: string;
  linkId: string;
  siteId: string;
  userIds: Record<string, string>;
  emails: string[];
  tokenId: string;
  assessmentId: string;
  reservationId: string;
  /** Pipeline records (issue 5): a project, a worker, an assignment, a case with a document, a batch. */
  pipeline: {
    projectId: string;
    workerId: string;
    workerName: string;
    assignmentId: string;
    caseId: string;
    documentId: string;
    batchId: string;
    entryId: string;
    cardId: string;
    importId: string;
    notificationId: string;
    webhookId: string;
  };
}

type Call = { method: string; url: string; payload?: unknown; headers?: Record<string, string> };
/** The quota ledger's current fiscal year (Oct 1 – Sep 30, named by the year it ends). */
const quotaYear =
  new Date().getUTCMonth() >= 9 ? new Date().getUTCFullYear() + 1 : new Date().getUTCFullYear();
const roles: Role[] = ['admin', 'staff', 'viewer', 'worker'];

const assessmentRequest = contractExampleRequest;

/** How to call each route as someone of organization A, aiming at organization B where ids are involved. */
function callsFor(other: OrgFixture, n: number): Record<string, Call[]> {
  return {
    'POST /api/auth/login': [
      {
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: other.emails[0], password: 'wrong-password-123' },
      },
    ],
    'POST /api/auth/login/two-factor': [
      {
        method: 'POST',
        url: '/api/auth/login/two-factor',
        payload: { challenge: 'x'.repeat(40), code: '123456' },
      },
    ],
    'GET /api/auth/sso': [
      { method: 'GET', url: `/api/auth/sso?email=${encodeURIComponent(other.emails[0]!)}` },
    ],
    'GET /api/auth/sso/start': [
      { method: 'GET', url: `/api/auth/sso/start?email=${encodeURIComponent(other.emails[0]!)}` },
    ],
    'GET /api/auth/sso/callback': [{ method: 'GET', url: '/api/auth/sso/callback?state=forged&code=forged' }],
    'POST /api/me/two-factor/setup': [{ method: 'POST', url: '/api/me/two-factor/setup', payload: {} }],
    'POST /api/me/two-factor/confirm': [
      { method: 'POST', url: '/api/me/two-factor/confirm', payload: { code: '000000' } },
    ],
    'POST /api/me/two-factor/disable': [
      { method: 'POST', url: '/api/me/two-factor/disable', payload: { code: '000000' } },
    ],
    'POST /api/me/two-factor/recovery-codes': [
      { method: 'POST', url: '/api/me/two-factor/recovery-codes', payload: { code: '000000' } },
    ],
    'GET /api/organizations/:id/counsel': [
      { method: 'GET', url: `/api/organizations/${other.orgId}/counsel` },
    ],
    'PUT /api/organizations/:id/counsel': [
      { method: 'PUT', url: `/api/organizations/${other.orgId}/counsel`, payload: { lawFirmIds: [] } },
    ],
    'GET /api/law-firms': [{ method: 'GET', url: '/api/law-firms' }],
    'GET /api/organizations/:id/sign-in': [
      { method: 'GET', url: `/api/organizations/${other.orgId}/sign-in` },
    ],
    'PUT /api/organizations/:id/sign-in': [
      {
        method: 'PUT',
        url: `/api/organizations/${other.orgId}/sign-in`,
        payload: { requireTwoFactorForAdmins: true, sso: null },
      },
    ],
    'POST /api/auth/logout': [], // exercised separately (it ends the session)
    'GET /api/me': [{ method: 'GET', url: '/api/me' }],
    'PUT /api/me/preferences': [{ method: 'PUT', url: '/api/me/preferences', payload: { locale: 'ko' } }],
    'GET /api/organizations': [{ method: 'GET', url: '/api/organizations' }],
    'POST /api/organizations': [
      { method: 'POST', url: '/api/organizations', payload: { name: `Matrix Org ${n}`, kind: 'partner' } },
    ],
    'GET /api/organizations/:id/contacts': [
      { method: 'GET', url: `/api/organizations/${other.orgId}/contacts` },
      { method: 'GET', url: `/api/organizations/${other.partnerId}/contacts` },
    ],
    'PUT /api/organizations/:id/contacts': [
      {
        method: 'PUT',
        url: `/api/organizations/${other.orgId}/contacts`,
        payload: { items: [{ kind: 'emergency', name: `Matrix duty desk ${n}`, phone: '+1-404-555-0100' }] },
      },
    ],
    'GET /api/partner-links': [{ method: 'GET', url: '/api/partner-links' }],
    'POST /api/partner-links': [
      {
        method: 'POST',
        url: '/api/partner-links',
        payload: { investorId: other.orgId, partnerId: other.partnerId },
      },
    ],
    'DELETE /api/partner-links/:id': [{ method: 'DELETE', url: `/api/partner-links/${other.linkId}` }],
    'GET /api/users': [
      { method: 'GET', url: '/api/users' },
      { method: 'GET', url: `/api/users?organizationId=${other.orgId}` },
    ],
    'POST /api/users': [
      {
        method: 'POST',
        url: '/api/users',
        payload: {
          email: `matrix${n}@example.com`,
          displayName: 'M',
          role: 'viewer',
          organizationId: other.orgId,
          password: 'long-enough-password',
        },
      },
    ],
    'POST /api/users/:id/password': [
      {
        method: 'POST',
        url: `/api/users/${other.userIds.admin}/password`,
        payload: { password: 'hijacked-password-1' },
      },
    ],
    'GET /api/tokens': [{ method: 'GET', url: '/api/tokens' }],
    'POST /api/tokens': [{ method: 'POST', url: '/api/tokens', payload: { name: `matrix ${n}` } }],
    'DELETE /api/tokens/:id': [{ method: 'DELETE', url: `/api/tokens/${other.tokenId}` }],
    'POST /api/assessments': [{ method: 'POST', url: '/api/assessments', payload: assessmentRequest }],
    'GET /api/assessments': [{ method: 'GET', url: '/api/assessments' }],
    'GET /api/assessments/:id': [{ method: 'GET', url: `/api/assessments/${other.assessmentId}` }],
    'GET /api/rules': [{ method: 'GET', url: '/api/rules' }],
    'GET /api/sites': [{ method: 'GET', url: '/api/sites' }],
    'GET /api/audit-events': [{ method: 'GET', url: '/api/audit-events?limit=200' }],
    'GET /api/openapi.json': [{ method: 'GET', url: '/api/openapi.json' }],
    'GET /api/quota/programs': [{ method: 'GET', url: '/api/quota/programs' }],
    'GET /api/quota/:program/:fiscalYear': [{ method: 'GET', url: `/api/quota/E4/${quotaYear}` }],
    'GET /api/quota/:program/:fiscalYear/utilization': [
      { method: 'GET', url: `/api/quota/E4/${quotaYear}/utilization` },
    ],
    'GET /api/quota/:program/:fiscalYear/waitlist': [
      { method: 'GET', url: `/api/quota/E4/${quotaYear}/waitlist` },
    ],
    'GET /api/quota/:program/:fiscalYear/reservations': [
      { method: 'GET', url: `/api/quota/E4/${quotaYear}/reservations` },
    ],
    'POST /api/quota/:program/:fiscalYear/reservations': [
      {
        method: 'POST',
        url: `/api/quota/E4/${quotaYear}/reservations`,
        payload: { caseRef: `matrix-${n}`, organizationId: other.orgId },
        headers: { 'idempotency-key': `matrix-reserve-${n}` },
      },
    ],
    'POST /api/quota/:program/:fiscalYear/close': [
      {
        method: 'POST',
        url: `/api/quota/E3/${quotaYear}/close`,
        headers: { 'idempotency-key': `matrix-close-${n}` },
      },
    ],
    'GET /api/quota/:program/:fiscalYear/verify': [
      { method: 'GET', url: `/api/quota/E4/${quotaYear}/verify` },
    ],
    'GET /api/quota/reservations/:id': [
      { method: 'GET', url: `/api/quota/reservations/${other.reservationId}` },
    ],
    // The lottery (H-1B): officers open, commit and draw; companies register for themselves only.
    'POST /api/quota/:program/:fiscalYear/lottery': [
      {
        method: 'POST',
        url: `/api/quota/H1B/${quotaYear}/lottery`,
        headers: { 'idempotency-key': `matrix-lottery-open-${n}` },
      },
    ],
    'GET /api/quota/:program/:fiscalYear/lottery': [
      { method: 'GET', url: `/api/quota/H1B/${quotaYear}/lottery` },
    ],
    'POST /api/quota/:program/:fiscalYear/lottery/registrations': [
      {
        method: 'POST',
        url: `/api/quota/H1B/${quotaYear}/lottery/registrations`,
        payload: {
          caseRef: `matrix-${n}`,
          passportNumber: `M${String(n).padStart(8, '0')}`,
          organizationId: other.orgId,
        },
        headers: { 'idempotency-key': `matrix-lottery-register-${n}` },
      },
    ],
    'GET /api/quota/:program/:fiscalYear/lottery/registrations': [
      { method: 'GET', url: `/api/quota/H1B/${quotaYear}/lottery/registrations` },
    ],
    'POST /api/quota/:program/:fiscalYear/lottery/commit': [
      {
        method: 'POST',
        url: `/api/quota/H1B/${quotaYear}/lottery/commit`,
        payload: { commitment: '0'.repeat(64) },
        headers: { 'idempotency-key': `matrix-lottery-commit-${n}` },
      },
    ],
    'POST /api/quota/:program/:fiscalYear/lottery/draw': [
      {
        method: 'POST',
        url: `/api/quota/H1B/${quotaYear}/lottery/draw`,
        payload: { seed: '0'.repeat(64) },
        headers: { 'idempotency-key': `matrix-lottery-draw-${n}` },
      },
    ],
    'GET /api/quota/:program/:fiscalYear/lottery/verify': [
      { method: 'GET', url: `/api/quota/H1B/${quotaYear}/lottery/verify` },
    ],
    'POST /api/quota/expire': [
      {
        method: 'POST',
        url: '/api/quota/expire',
        payload: {},
        headers: { 'idempotency-key': `matrix-expire-${n}` },
      },
    ],
    'POST /api/quota/reservations/:id/issue': [
      {
        method: 'POST',
        url: `/api/quota/reservations/${other.reservationId}/issue`,
        headers: { 'idempotency-key': `matrix-issue-${n}` },
      },
    ],
    'POST /api/quota/reservations/:id/release': [
      {
        method: 'POST',
        url: `/api/quota/reservations/${other.reservationId}/release`,
        payload: { reason: 'matrix' },
        headers: { 'idempotency-key': `matrix-release-${n}` },
      },
    ],
    ...pipelineCalls(other, n),
  };
}

const PDF = TEST_PDF;
const multipartBody = multipartFile;

/** The dispatch pipeline's routes, aimed at the other organization's records. */
function pipelineCalls(other: OrgFixture, n: number): Record<string, Call[]> {
  const p = other.pipeline;
  const upload = multipartBody('matrix.pdf', 'application/pdf', PDF);
  const csvUpload = multipartBody('matrix.csv', 'text/csv', Buffer.from('Name,Passport No.\nMATRIX,M1\n'));
  return {
    'POST /api/sites': [
      {
        method: 'POST',
        url: '/api/sites',
        payload: {
          name: `Matrix site ${n}`,
          sector: 'battery',
          address: '1 Way',
          city: 'Town',
          state: 'GA',
          timeZone: 'America/New_York',
          organizationId: other.orgId,
        },
      },
    ],
    'GET /api/projects': [{ method: 'GET', url: '/api/projects' }],
    'POST /api/projects': [
      {
        method: 'POST',
        url: '/api/projects',
        payload: {
          siteId: other.siteId,
          code: `MX-${n}`,
          name: 'Matrix',
          sector: 'battery',
          investmentUsd: 1,
          startDate: '2026-01-01',
        },
      },
    ],
    'GET /api/projects/:id': [{ method: 'GET', url: `/api/projects/${p.projectId}` }],
    'POST /api/projects/:id/staffing-plans': [
      {
        method: 'POST',
        url: `/api/projects/${p.projectId}/staffing-plans`,
        payload: { role: 'technician', headcount: 1, startDate: '2026-01-01', endDate: '2026-02-01' },
      },
    ],
    'GET /api/workers': [
      { method: 'GET', url: '/api/workers' },
      { method: 'GET', url: `/api/workers?organizationId=${other.orgId}` },
      { method: 'GET', url: `/api/workers?projectId=${p.projectId}` },
    ],
    'POST /api/workers': [
      {
        method: 'POST',
        url: '/api/workers',
        payload: {
          ...matrixWorker(`MATRIX${String.fromCharCode(65 + (n % 26))}`, '매트릭스', `MX${100000 + n}`),
          organizationId: other.orgId,
        },
      },
    ],
    'POST /api/workers/me/cards': [{ method: 'POST', url: '/api/workers/me/cards' }],
    'GET /api/workers/me': [{ method: 'GET', url: '/api/workers/me' }],
    'PATCH /api/workers/me': [{ method: 'PATCH', url: '/api/workers/me', payload: { phone: '+1-555-0100' } }],
    'GET /api/workers/me/cases': [{ method: 'GET', url: '/api/workers/me/cases' }],
    'GET /api/workers/me/entries': [{ method: 'GET', url: '/api/workers/me/entries' }],
    'POST /api/workers/me/entries': [
      {
        method: 'POST',
        url: '/api/workers/me/entries',
        payload: { admittedOn: '2026-01-05', classOfAdmission: 'B1', admitUntil: '2026-02-05' },
      },
    ],
    'GET /api/workers/:id': [{ method: 'GET', url: `/api/workers/${p.workerId}` }],
    'PATCH /api/workers/:id': [
      { method: 'PATCH', url: `/api/workers/${p.workerId}`, payload: { phone: '+1-555-0199' } },
    ],
    'GET /api/workers/:id/dependents': [{ method: 'GET', url: `/api/workers/${p.workerId}/dependents` }],
    'POST /api/workers/:id/dependents': [
      {
        method: 'POST',
        url: `/api/workers/${p.workerId}/dependents`,
        payload: {
          relationship: 'child',
          familyName: 'KIM',
          givenName: 'HANA',
          birthDate: '2015-01-01',
          nationality: 'KR',
        },
      },
    ],
    'GET /api/workers/:id/cases': [{ method: 'GET', url: `/api/workers/${p.workerId}/cases` }],
    'GET /api/assignments': [
      { method: 'GET', url: '/api/assignments' },
      { method: 'GET', url: `/api/assignments?projectId=${p.projectId}` },
    ],
    'POST /api/assignments': [
      {
        method: 'POST',
        url: '/api/assignments',
        payload: {
          workerId: p.workerId,
          projectId: p.projectId,
          activities: ['meetings'],
          startDate: '2026-12-01',
          endDate: '2026-12-10',
          payer: 'foreign',
        },
      },
    ],
    'GET /api/cases': [
      { method: 'GET', url: '/api/cases' },
      { method: 'GET', url: `/api/cases?projectId=${p.projectId}` },
      { method: 'GET', url: `/api/cases?workerId=${p.workerId}&sla=on_track` },
    ],
    'GET /api/cases/board': [{ method: 'GET', url: `/api/cases/board?projectId=${p.projectId}` }],
    'POST /api/cases': [
      { method: 'POST', url: '/api/cases', payload: { assignmentId: p.assignmentId, category: 'B1' } },
    ],
    'GET /api/cases/:id': [{ method: 'GET', url: `/api/cases/${p.caseId}` }],
    'POST /api/cases/:id/transitions': [
      { method: 'POST', url: `/api/cases/${p.caseId}/transitions`, payload: { to: 'withdrawn' } },
    ],
    'POST /api/cases/:id/comments': [
      { method: 'POST', url: `/api/cases/${p.caseId}/comments`, payload: { body: `matrix comment ${n}` } },
    ],
    'POST /api/cases/:id/reassess': [{ method: 'POST', url: `/api/cases/${p.caseId}/reassess` }],
    'POST /api/cases/:id/letters': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/letters`,
        payload: {
          kind: 'invitation',
          signatory: { name: 'M', title: 'T' },
          contact: { address: 'A', phone: '1', email: 'm@example.com' },
        },
      },
    ],
    'POST /api/cases/:id/documents': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/documents?docType=passport_copy`,
        payload: upload.payload,
        headers: upload.headers,
      },
    ],
    'GET /api/documents/:id': [{ method: 'GET', url: `/api/documents/${p.documentId}` }],
    'GET /api/sites/:id/roster': [{ method: 'GET', url: `/api/sites/${other.siteId}/roster` }],
    'GET /api/sites/:id/roster.csv': [{ method: 'GET', url: `/api/sites/${other.siteId}/roster.csv` }],
    'GET /api/sites/:id/roster.pdf': [{ method: 'GET', url: `/api/sites/${other.siteId}/roster.pdf` }],
    'GET /api/workers/:id/entries': [{ method: 'GET', url: `/api/workers/${p.workerId}/entries` }],
    'POST /api/workers/:id/entries': [
      {
        method: 'POST',
        url: `/api/workers/${p.workerId}/entries`,
        payload: {
          admittedOn: '2020-01-01',
          classOfAdmission: 'WB',
          admitUntil: '2020-03-30',
          departedOn: '2020-02-01',
        },
      },
    ],
    'POST /api/entries/:id/confirm': [{ method: 'POST', url: `/api/entries/${p.entryId}/confirm` }],
    'POST /api/entries/:id/departure': [
      { method: 'POST', url: `/api/entries/${p.entryId}/departure`, payload: { departedOn: '2099-01-01' } },
    ],
    'POST /api/workers/:id/cards': [{ method: 'POST', url: `/api/workers/${p.workerId}/cards` }],
    'POST /api/cards/:id/revoke': [
      { method: 'POST', url: `/api/cards/${p.cardId}/revoke`, payload: { reason: 'matrix' } },
    ],
    'POST /api/cards/verify': [
      { method: 'POST', url: '/api/cards/verify', payload: { token: 'not.a.token' } },
    ],
    'POST /api/imports': [
      {
        method: 'POST',
        url: `/api/imports?organizationId=${other.orgId}`,
        payload: csvUpload.payload,
        headers: csvUpload.headers,
      },
    ],
    'GET /api/imports': [
      { method: 'GET', url: '/api/imports' },
      { method: 'GET', url: `/api/imports?organizationId=${other.orgId}` },
    ],
    'GET /api/imports/:id': [{ method: 'GET', url: `/api/imports/${p.importId}` }],
    'POST /api/imports/:id/dry-run': [
      { method: 'POST', url: `/api/imports/${p.importId}/dry-run`, payload: {} },
    ],
    'POST /api/imports/:id/commit': [
      { method: 'POST', url: `/api/imports/${p.importId}/commit`, payload: {} },
    ],
    'GET /api/import-mappings': [
      { method: 'GET', url: `/api/import-mappings?organizationId=${other.orgId}` },
    ],
    'PUT /api/import-mappings/:name': [
      {
        method: 'PUT',
        url: `/api/import-mappings/m${n}?organizationId=${other.orgId}`,
        payload: { mapping: { Name: 'name' } },
      },
    ],
    'GET /api/workers/export': [
      { method: 'GET', url: '/api/workers/export?format=csv' },
      { method: 'GET', url: `/api/workers/export?format=xlsx&organizationId=${other.orgId}` },
    ],
    'GET /api/sites/:id/roster.xlsx': [{ method: 'GET', url: `/api/sites/${other.siteId}/roster.xlsx` }],
    'GET /api/cases/export': [
      { method: 'GET', url: `/api/cases/export?format=csv&projectId=${p.projectId}` },
    ],
    'GET /api/batches': [{ method: 'GET', url: '/api/batches' }],
    'POST /api/batches': [
      {
        method: 'POST',
        url: '/api/batches',
        payload: {
          projectId: p.projectId,
          annotation: { company: 'X', facility: 'Y', project: 'Z' },
          caseIds: [p.caseId],
        },
      },
    ],
    'GET /api/batches/:id': [{ method: 'GET', url: `/api/batches/${p.batchId}` }],
    'PATCH /api/batches/:id': [
      {
        method: 'PATCH',
        url: `/api/batches/${p.batchId}`,
        payload: { annotation: { facility: `Matrix facility ${n}` } },
      },
      {
        method: 'PATCH',
        url: `/api/batches/${p.batchId}`,
        payload: { annotation: { company: `Matrix company ${n}` }, removeCaseIds: [p.caseId] },
      },
    ],
    'GET /api/batches/:id/manifest.csv': [{ method: 'GET', url: `/api/batches/${p.batchId}/manifest.csv` }],
    'GET /api/batches/:id/manifest.pdf': [{ method: 'GET', url: `/api/batches/${p.batchId}/manifest.pdf` }],
    'POST /api/batches/:id/submit': [
      {
        method: 'POST',
        url: `/api/batches/${p.batchId}/submit`,
        payload: { deskId: '00000000-0000-4000-8000-000000000000' },
      },
    ],
    'GET /api/desks': [{ method: 'GET', url: '/api/desks' }],
    // Messages on a case (issue 18): only the case's people; B's case is none of A's.
    'GET /api/cases/:id/messages': [{ method: 'GET', url: `/api/cases/${p.caseId}/messages` }],
    'POST /api/cases/:id/messages': [
      { method: 'POST', url: `/api/cases/${p.caseId}/messages`, payload: { body: `Matrix ${n}` } },
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/messages`,
        payload: { body: 'Matrix note', internal: true, documentId: p.documentId },
      },
    ],
    // A worker's own documents (issue 18): B's case is not one's own.
    'GET /api/workers/me/cases/:id/checklist': [
      { method: 'GET', url: `/api/workers/me/cases/${p.caseId}/checklist` },
    ],
    'POST /api/workers/me/cases/:id/documents': [
      {
        method: 'POST',
        url: `/api/workers/me/cases/${p.caseId}/documents?docType=passport`,
        ...multipartBody('passport.pdf', 'application/pdf', PDF),
      },
    ],
    // The calendar feed (issue 18): one's own; a forged secret finds nothing.
    'GET /api/me/calendar': [{ method: 'GET', url: '/api/me/calendar' }],
    'POST /api/me/calendar': [{ method: 'POST', url: '/api/me/calendar', payload: {} }],
    'DELETE /api/me/calendar': [{ method: 'DELETE', url: '/api/me/calendar' }],
    'GET /calendar/:file': [
      { method: 'GET', url: `/calendar/kcal_${'A'.repeat(43)}.ics` },
      { method: 'GET', url: '/calendar/not-a-feed.ics' },
    ],
    'POST /api/cases/:id/messages/attachments': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/messages/attachments`,
        ...multipartBody('note.pdf', 'application/pdf', PDF),
      },
    ],
    'GET /api/cases/:id/messages/attachments/:documentId': [
      { method: 'GET', url: `/api/cases/${p.caseId}/messages/attachments/${p.documentId}` },
    ],
    'POST /api/cases/:id/messages/read': [
      { method: 'POST', url: `/api/cases/${p.caseId}/messages/read`, payload: {} },
    ],
    // The working group's console: aggregates only (organizations, sites and projects by name; never a person).
    ...Object.fromEntries(
      ['summary', 'lead-times', 'outcomes', 'batches', 'presence', 'quota', 'reentry', 'partners'].map(
        (f) => [
          `GET /api/console/${f}`,
          [
            { method: 'GET', url: `/api/console/${f}` },
            { method: 'GET', url: `/api/console/${f}?siteId=${other.siteId}&firmKind=partner&sme=true` },
          ],
        ],
      ),
    ),
    'GET /api/console/export.csv': [{ method: 'GET', url: '/api/console/export.csv?figure=presence' }],
    'GET /api/console/export.xlsx': [{ method: 'GET', url: '/api/console/export.xlsx' }],
    'GET /api/console/briefing.pdf': [{ method: 'GET', url: '/api/console/briefing.pdf' }],
    'POST /api/console/refresh': [{ method: 'POST', url: '/api/console/refresh', payload: {} }],
    // The embassy desk (issue 17): only a desk's officers; B's batch was never sent to any desk of A's.
    'GET /api/desk/batches': [
      { method: 'GET', url: '/api/desk/batches' },
      { method: 'GET', url: '/api/desk/batches?status=all' },
    ],
    'GET /api/desk/batches/:id': [{ method: 'GET', url: `/api/desk/batches/${p.batchId}` }],
    'POST /api/desk/batches/:id/acknowledge': [
      { method: 'POST', url: `/api/desk/batches/${p.batchId}/acknowledge`, payload: {} },
    ],
    'POST /api/desk/batches/:id/return': [
      {
        method: 'POST',
        url: `/api/desk/batches/${p.batchId}/return`,
        payload: { reason: 'Matrix', applicants: [{ caseId: p.caseId, reason: 'Matrix' }] },
      },
    ],
    'POST /api/desk/batches/:id/interviews': [
      {
        method: 'POST',
        url: `/api/desk/batches/${p.batchId}/interviews`,
        payload: { day: '2099-01-05', caseIds: [p.caseId] },
      },
    ],
    'POST /api/desk/batches/:id/outcomes': [
      {
        method: 'POST',
        url: `/api/desk/batches/${p.batchId}/outcomes`,
        payload: { caseId: p.caseId, outcome: 'withdrawn', on: '2026-01-05' },
      },
    ],
    'GET /api/desk/calendar': [{ method: 'GET', url: '/api/desk/calendar' }],
    'PUT /api/desk/calendar/:day': [
      { method: 'PUT', url: '/api/desk/calendar/2099-01-05', payload: { capacity: 3 } },
    ],
    'PUT /api/cases/:id/consular': [
      { method: 'PUT', url: `/api/cases/${p.caseId}/consular`, payload: { ds160Number: 'AA00MATRIX' } },
    ],
    'POST /api/cases/:id/consular/status': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/consular/status`,
        payload: { status: 'application_received', on: '2026-01-05' },
      },
    ],
    // USCIS tracking (issue 18): B's case is none of A's; reading a notice stores nothing.
    'PUT /api/cases/:id/uscis': [
      { method: 'PUT', url: `/api/cases/${p.caseId}/uscis`, payload: { receiptNumber: 'WAC2600000001' } },
    ],
    'POST /api/cases/:id/uscis/status': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/uscis/status`,
        payload: { status: 'received', on: '2026-01-05', receiptNumber: 'WAC2600000001' },
      },
    ],
    'POST /api/uscis/notices/parse': [
      { method: 'POST', url: '/api/uscis/notices/parse', payload: { text: 'Receipt Number WAC2600000001' } },
    ],
    // Simulations (issue 21): the organization's own runs; B's is not found.
    'GET /api/simulations/templates': [{ method: 'GET', url: '/api/simulations/templates' }],
    'GET /api/simulations': [{ method: 'GET', url: '/api/simulations' }],
    'POST /api/simulations': [
      { method: 'POST', url: '/api/simulations', payload: { scenario: { name: 'x' } } },
    ],
    // The contribution ledger (issue 20): B's project is none of A's; the report and policies are aggregates.
    'GET /api/contribution': [{ method: 'GET', url: '/api/contribution' }],
    'GET /api/contribution/projects/:id': [
      { method: 'GET', url: `/api/contribution/projects/${p.projectId}` },
    ],
    'POST /api/contribution/investments': [
      { method: 'POST', url: '/api/contribution/investments', payload: { projectId: p.projectId, kind: 'disbursed', amountUsd: 1, onDate: '2026-01-05', source: 'matrix' } }, // prettier-ignore
    ],
    'POST /api/contribution/jobs': [
      { method: 'POST', url: '/api/contribution/jobs', payload: { projectId: p.projectId, quarter: '2026-Q1', committed: 1, created: 1, source: 'matrix' } }, // prettier-ignore
    ],
    'POST /api/contribution/plans': [
      { method: 'POST', url: '/api/contribution/plans', payload: { projectId: p.projectId, title: 'matrix', goal: 'matrix' } }, // prettier-ignore
    ],
    'POST /api/contribution/sessions': [
      { method: 'POST', url: '/api/contribution/sessions', payload: { projectId: p.projectId, trainerWorkerId: p.workerId, heldOn: '2026-01-05', hours: 1, topic: 'matrix', place: 'matrix', trainees: 1, certified: 0 } }, // prettier-ignore
    ],
    'POST /api/contribution/import': [
      { method: 'POST', url: '/api/contribution/import?kind=sessions&dryRun=false', ...multipartFile('s.csv', 'text/csv', Buffer.from(`project,trainer,date,hours,topic,place,trainees\nX,${p.workerName},2026-01-05,1,t,p,1\n`)) }, // prettier-ignore
    ],
    'POST /api/contribution/milestones': [
      { method: 'POST', url: '/api/contribution/milestones', payload: { projectId: p.projectId, kind: 'other', title: 'matrix', achievedOn: '2026-01-05' } }, // prettier-ignore
    ],
    'POST /api/contribution/milestones/:id/evidence': [
      { method: 'POST', url: '/api/contribution/milestones/00000000-0000-4000-8000-000000000000/evidence', ...multipartFile('e.pdf', 'application/pdf', TEST_PDF) }, // prettier-ignore
    ],
    'GET /api/contribution/milestones/:id/evidence': [
      { method: 'GET', url: '/api/contribution/milestones/00000000-0000-4000-8000-000000000000/evidence' },
    ],
    'POST /api/cases/:id/evidence-pack': [{ method: 'POST', url: `/api/cases/${p.caseId}/evidence-pack`, payload: {} }], // prettier-ignore
    'GET /api/contribution/report': [{ method: 'GET', url: '/api/contribution/report' }],
    'GET /api/contribution/report.xlsx': [{ method: 'GET', url: '/api/contribution/report.xlsx' }],
    'GET /api/contribution/report.pdf': [{ method: 'GET', url: '/api/contribution/report.pdf' }],
    'GET /api/contribution/policies': [{ method: 'GET', url: '/api/contribution/policies' }],
    'POST /api/contribution/policies': [
      { method: 'POST', url: '/api/contribution/policies', payload: { effective: '2099-10-01', cutoff: '2026-01-05', investmentWeight: 0.5, smeShare: 0.2, generalShare: 0.1 } }, // prettier-ignore
    ],
    'POST /api/contribution/policies/:id/publish': [
      { method: 'POST', url: '/api/contribution/policies/00000000-0000-4000-8000-000000000000/publish', payload: {} }, // prettier-ignore
    ],
    // The settlement planner (issue 19): B's worker and site are none of A's; the aggregates have no names.
    'POST /api/settlement/plan': [
      { method: 'POST', url: '/api/settlement/plan', payload: { asOf: '2026-12-07', worker: { birthDate: '1985-04-02', education: 'master', role: 'engineer', employedSince: '2015-03-01' }, employer: {}, status: { code: 'abroad' }, state: 'GA', goal: { kind: 'permanent' } } }, // prettier-ignore
    ],
    'GET /api/workers/:id/plan': [{ method: 'GET', url: `/api/workers/${p.workerId}/plan` }],
    'PUT /api/workers/:id/plan': [
      { method: 'PUT', url: `/api/workers/${p.workerId}/plan`, payload: { goal: { kind: 'permanent' } } },
    ],
    'GET /api/workers/:id/plan.pdf': [{ method: 'GET', url: `/api/workers/${p.workerId}/plan.pdf` }],
    'GET /api/me/plan': [{ method: 'GET', url: '/api/me/plan' }],
    'PUT /api/me/plan': [
      { method: 'PUT', url: '/api/me/plan', payload: { goal: { kind: 'stay', years: 5 } } },
    ],
    'GET /api/me/plan.pdf': [{ method: 'GET', url: '/api/me/plan.pdf' }],
    'GET /api/me/directory': [{ method: 'GET', url: '/api/me/directory' }],
    'GET /api/directory/sites': [{ method: 'GET', url: '/api/directory/sites' }],
    'GET /api/sites/:id/directory': [{ method: 'GET', url: `/api/sites/${other.siteId}/directory` }],
    'POST /api/sites/:id/directory': [
      { method: 'POST', url: `/api/sites/${other.siteId}/directory`, payload: { kind: 'association', name: { en: 'Matrix', ko: '매트릭스' }, verifiedOn: '2026-01-05' } }, // prettier-ignore
    ],
    'DELETE /api/directory/:id': [
      { method: 'DELETE', url: '/api/directory/00000000-0000-4000-8000-000000000000' },
    ],
    'GET /api/console/settlement': [{ method: 'GET', url: '/api/console/settlement' }],
    'GET /api/me/training': [{ method: 'GET', url: '/api/me/training' }],
    'GET /api/me/training.pdf': [{ method: 'GET', url: '/api/me/training.pdf' }],
    'POST /api/simulations/calibrate': [
      { method: 'POST', url: '/api/simulations/calibrate', payload: { scenario: { name: 'x' }, from: '2026-01-01', to: '2026-12-31' } }, // prettier-ignore
    ],
    'GET /api/simulations/:id': [
      { method: 'GET', url: '/api/simulations/00000000-0000-4000-8000-000000000000' },
    ],
    // Attestations (issue 18): B's case is none of A's.
    'GET /api/cases/:id/attestations': [{ method: 'GET', url: `/api/cases/${p.caseId}/attestations` }],
    'POST /api/cases/:id/attestations': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/attestations`,
        payload: { kind: 'specialized_knowledge', name: 'Matrix', title: 'Matrix', textHash: '0'.repeat(64) },
      },
    ],
    // The worker's questionnaire (issue 18): B's case is none of A's, nor a worker's own.
    'POST /api/cases/:id/questionnaire': [
      { method: 'POST', url: `/api/cases/${p.caseId}/questionnaire`, payload: {} },
    ],
    'GET /api/cases/:id/questionnaire': [{ method: 'GET', url: `/api/cases/${p.caseId}/questionnaire` }],
    'POST /api/cases/:id/questionnaire/return': [
      {
        method: 'POST',
        url: `/api/cases/${p.caseId}/questionnaire/return`,
        payload: { items: [{ path: 'personal.birthPlace', comment: 'matrix' }] },
      },
    ],
    'POST /api/cases/:id/questionnaire/accept': [
      { method: 'POST', url: `/api/cases/${p.caseId}/questionnaire/accept`, payload: {} },
    ],
    'GET /api/cases/:id/questionnaire.json': [
      { method: 'GET', url: `/api/cases/${p.caseId}/questionnaire.json` },
    ],
    'GET /api/cases/:id/questionnaire.pdf': [
      { method: 'GET', url: `/api/cases/${p.caseId}/questionnaire.pdf` },
    ],
    'GET /api/workers/me/cases/:id/questionnaire': [
      { method: 'GET', url: `/api/workers/me/cases/${p.caseId}/questionnaire` },
    ],
    'PUT /api/workers/me/cases/:id/questionnaire': [
      {
        method: 'PUT',
        url: `/api/workers/me/cases/${p.caseId}/questionnaire`,
        payload: { answers: { personal: { birthPlace: 'matrix' } } },
      },
    ],
    'POST /api/workers/me/cases/:id/questionnaire/submit': [
      { method: 'POST', url: `/api/workers/me/cases/${p.caseId}/questionnaire/submit`, payload: {} },
    ],
    // Webhooks (issue 18): the organization's own endpoints; B's are not found.
    'GET /api/webhooks': [{ method: 'GET', url: '/api/webhooks' }],
    'POST /api/webhooks': [
      { method: 'POST', url: '/api/webhooks', payload: { url: `https://hooks.example.com/matrix-${n}` } },
    ],
    'PATCH /api/webhooks/:id': [
      { method: 'PATCH', url: `/api/webhooks/${p.webhookId}`, payload: { active: false } },
    ],
    'DELETE /api/webhooks/:id': [{ method: 'DELETE', url: `/api/webhooks/${p.webhookId}` }],
    'POST /api/webhooks/:id/ping': [
      { method: 'POST', url: `/api/webhooks/${p.webhookId}/ping`, payload: {} },
    ],
    'GET /api/webhooks/:id/deliveries': [{ method: 'GET', url: `/api/webhooks/${p.webhookId}/deliveries` }],
    'POST /api/webhooks/:id/deliveries/:deliveryId/redeliver': [
      {
        method: 'POST',
        url: `/api/webhooks/${p.webhookId}/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
        payload: {},
      },
    ],
    'GET /api/notifications': [
      { method: 'GET', url: '/api/notifications' },
      { method: 'GET', url: '/api/notifications?unread=true&limit=200' },
    ],
    'POST /api/notifications/:id/read': [
      { method: 'POST', url: `/api/notifications/${p.notificationId}/read`, payload: {} },
    ],
    'POST /api/notifications/read-all': [{ method: 'POST', url: '/api/notifications/read-all', payload: {} }],
    'POST /api/alerts/scan': [{ method: 'POST', url: '/api/alerts/scan', payload: {} }],
    'GET /api/stats/overview': [{ method: 'GET', url: '/api/stats/overview' }],
    'GET /api/stats/lead-times': [
      { method: 'GET', url: '/api/stats/lead-times?groupBy=organization' },
      { method: 'GET', url: '/api/stats/lead-times?groupBy=project' },
    ],
  };
}

function matrixWorker(familyName: string, nameHangul: string, passportNumber: string) {
  return {
    familyName,
    givenName: 'TEST',
    nameHangul,
    birthDate: '1985-05-05',
    sex: 'M',
    nationality: 'KR',
    passportNumber,
    passportExpiry: '2031-01-01',
    education: 'vocational',
    role: 'technician',
    employedSince: '2012-03-01',
  };
}

describe.each(testDatabaseKinds)('authorization matrix on %s', (kind) => {
  let t: TestApp;
  const routes: string[] = [];
  const orgs: OrgFixture[] = [];

  async function makeOrg(platform: Session, label: string): Promise<OrgFixture> {
    const org = (
      await platform.post('/api/organizations', { name: `${label} Investor (test)`, kind: 'investor' })
    ).json();
    const partner = (
      await platform.post('/api/organizations', { name: `${label} Partner (test)`, kind: 'partner' })
    ).json();
    const link = (
      await platform.post('/api/partner-links', { investorId: org.id, partnerId: partner.id })
    ).json();
    const [site] = await t.db.query<{ id: string }>(
      `INSERT INTO sites (organization_id, name, sector, address, city, state, time_zone)
       VALUES ($1, $2, 'battery', '1 Test Way', 'Testville', 'GA', 'America/New_York') RETURNING id`,
      [org.id, `${label} Plant (test)`],
    );
    const userIds: Record<string, string> = {};
    const emails: string[] = [];
    for (const role of roles) {
      const email = `${role}@${label.toLowerCase()}.example`;
      const res = await platform.post('/api/users', {
        email,
        displayName: `${label} ${role}`,
        role,
        organizationId: org.id,
        password: DEMO_PASSWORD,
      });
      expect(res.statusCode, res.body).toBe(201);
      userIds[role] = res.json().id;
      emails.push(email);
    }
    const admin = await Session.login(t.app, `admin@${label.toLowerCase()}.example`);
    const token = (await admin.post('/api/tokens', { name: `${label} robot` })).json();
    // Later modules add records of their own here (only when their routes exist).
    let assessmentId = '';
    if (t.app.routeList.includes('POST /api/assessments')) {
      const assessment = await admin.post('/api/assessments', assessmentRequest);
      expect(assessment.statusCode, assessment.body).toBe(201);
      assessmentId = assessment.json().id;
    }
    // A quota reservation for one of the organization's cases, made by a platform administrator.
    let reservationId = '';
    if (t.app.routeList.includes('POST /api/quota/:program/:fiscalYear/reservations')) {
      const reservation = await platform.request(
        'POST',
        `/api/quota/E4/${quotaYear}/reservations`,
        { caseRef: `${label}-case-1`, organizationId: org.id },
        { 'idempotency-key': `matrix-fixture-${label}` },
      );
      expect(reservation.statusCode, reservation.body).toBe(201);
      reservationId = reservation.json().id;
    }
    // A lottery registration for the organization (same case reference, a secret of the organization).
    if (t.app.routeList.includes('POST /api/quota/:program/:fiscalYear/lottery/registrations')) {
      const lottery = `/api/quota/H1B/${quotaYear}/lottery`;
      if ((await platform.get(lottery)).statusCode === 404) {
        const opened = await platform.request('POST', lottery, undefined, {
          'idempotency-key': 'matrix-fixture-lottery',
        });
        expect(opened.statusCode, opened.body).toBe(201);
      }
      const registration = await platform.request(
        'POST',
        `${lottery}/registrations`,
        { caseRef: `${label}-case-1`, passportNumber: `${label.toUpperCase()}12345`, organizationId: org.id },
        { 'idempotency-key': `matrix-fixture-lottery-${label}` },
      );
      expect(registration.statusCode, registration.body).toBe(201);
    }
    const pipeline = {
      projectId: '',
      workerId: '',
      workerName: '',
      assignmentId: '',
      caseId: '',
      documentId: '',
      batchId: '',
      entryId: '',
      cardId: '',
      importId: '',
      notificationId: '',
      webhookId: '',
    };
    if (t.app.routeList.includes('POST /api/cases')) {
      const ok = (res: { statusCode: number; body: string }, status = 201) => {
        expect(res.statusCode, res.body).toBe(status);
        return JSON.parse(res.body) as { id: string };
      };
      pipeline.projectId = ok(
        await admin.post('/api/projects', {
          siteId: site!.id,
          code: `${label}-1`,
          name: `${label} Project`,
          sector: 'battery',
          investmentUsd: 1000,
          startDate: '2025-01-01',
        }),
      ).id;
      pipeline.workerName = `${label.toUpperCase()}MAN`;
      pipeline.workerId = ok(
        await admin.post(
          '/api/workers',
          matrixWorker(
            pipeline.workerName,
            label === 'Alpha' ? '알파' : '브라보',
            `${label.toUpperCase().slice(0, 2)}1234567`,
          ),
        ),
      ).id;
      pipeline.assignmentId = ok(
        await admin.post('/api/assignments', {
          workerId: pipeline.workerId,
          projectId: pipeline.projectId,
          activities: ['equipment_installation'],
          startDate: '2027-02-01',
          endDate: '2027-03-15',
          payer: 'foreign',
        }),
      ).id;
      pipeline.caseId = ok(
        await admin.post('/api/cases', {
          assignmentId: pipeline.assignmentId,
          category: 'B1',
          embassyDesk: true,
          assessment: {
            assignment: {
              equipmentFromAbroad: true,
              contractRequiresSellerService: true,
              specializedKnowledgeEssential: true,
            },
          },
        }),
      ).id;
      const upload = multipartBody('passport.pdf', 'application/pdf', PDF);
      pipeline.documentId = ok(
        await admin.request(
          'POST',
          `/api/cases/${pipeline.caseId}/documents?docType=passport_copy`,
          upload.payload,
          upload.headers,
        ),
      ).id;
      pipeline.batchId = ok(
        await admin.post('/api/batches', {
          projectId: pipeline.projectId,
          annotation: { company: label, facility: 'Plant', project: 'P1' },
          caseIds: [pipeline.caseId],
        }),
      ).id;
      const admitted = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
      pipeline.entryId = ok(
        await admin.post(`/api/workers/${pipeline.workerId}/entries`, {
          admittedOn: admitted,
          classOfAdmission: 'B1',
          admitUntil: '2099-01-01',
          port: 'ATL',
        }),
      ).id;
      pipeline.cardId = ok(await admin.post(`/api/workers/${pipeline.workerId}/cards`)).id;
      const roster = multipartBody(
        'roster.csv',
        'text/csv',
        Buffer.from(`Name,Passport No.,Date of birth\n${label} 근로자,M55555555,1980-01-01\n`),
      );
      pipeline.importId = ok(await admin.request('POST', '/api/imports', roster.payload, roster.headers)).id;
    }
    // An alert addressed to every user of the organization (a notification of the alerts centre).
    if (t.app.routeList.includes('GET /api/notifications') && pipeline.workerId) {
      const [first] = await t.db.query<{ id: string }>(
        `INSERT INTO notifications (organization_id, user_id, kind, severity, subject_type, subject_id, worker_id,
           due_on, dedupe_key, message, as_of)
         SELECT $1, u.id, 'passport_expiry', 'warning', 'worker', $2::uuid, $2::uuid, CURRENT_DATE, 'matrix:' || $2::text,
                '{"en": "matrix", "ko": "matrix"}', CURRENT_DATE
           FROM users u WHERE u.organization_id = $1 ORDER BY u.role = 'admin' DESC
         RETURNING id`,
        [org.id, pipeline.workerId],
      );
      pipeline.notificationId = first!.id;
    }
    if (t.app.routeList.includes('POST /api/webhooks')) {
      const made = await admin.post('/api/webhooks', { url: 'https://hooks.example.com/korus' });
      expect(made.statusCode, made.body).toBe(201);
      pipeline.webhookId = made.json().id;
    }
    return {
      pipeline,
      orgId: org.id,
      orgName: org.name,
      partnerId: partner.id,
      partnerName: partner.name,
      linkId: link.id,
      siteId: site!.id,
      userIds,
      emails,
      tokenId: token.id,
      assessmentId,
      reservationId,
    };
  }

  beforeAll(async () => {
    t = await openTestApp(kind);
    const platform = await Session.login(t.app, 'platform@korus.example');
    orgs.push(await makeOrg(platform, 'Alpha'), await makeOrg(platform, 'Bravo'));
    routes.push(...apiRoutes(t));
  });
  afterAll(async () => t?.close());

  it('has a matrix entry for every API route', () => {
    const calls = callsFor(orgs[1]!, 0);
    expect(routes.filter((r) => !(r in calls))).toEqual([]);
    // …and every entry names a route that is registered (the guidelines routes arrive with their module).
    const pending: string[] = [];
    expect(Object.keys(calls).filter((r) => !routes.includes(r) && !pending.includes(r))).toEqual([]);
  });

  it('refuses every non-public route without credentials', async () => {
    const calls = callsFor(orgs[1]!, 0);
    for (const route of routes) {
      if (
        [
          'POST /api/auth/login',
          'POST /api/auth/login/two-factor',
          'GET /api/auth/sso',
          'GET /api/auth/sso/start',
          'GET /api/auth/sso/callback',
          'GET /api/openapi.json',
          'POST /api/cards/verify',
          // The calendar feed's secret is its credential: without one, nothing is found (404).
          'GET /calendar/:file',
        ].includes(route)
      )
        continue;
      for (const call of calls[route]!) {
        const res = await t.app.inject({
          method: call.method as 'GET',
          url: call.url,
          ...(call.payload ? { payload: call.payload as object } : {}),
        });
        expect(res.statusCode, `${route} without credentials`).toBe(401);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      }
    }
  });

  it('lets nothing of one organization reach the other, for every role and route', async () => {
    let n = 0;
    for (const [self, other] of [
      [orgs[0]!, orgs[1]!],
      [orgs[1]!, orgs[0]!],
    ] as const) {
      const secrets = [
        other.orgId,
        other.orgName,
        other.partnerId,
        other.linkId,
        other.siteId,
        other.tokenId,
        other.assessmentId,
        other.reservationId,
        ...Object.values(other.pipeline),
        `${other.orgName.split(' ')[0]!}-case-1`,
        ...other.emails,
        ...Object.values(other.userIds),
      ].filter((secret) => secret !== '');
      for (const role of roles) {
        const session = await Session.login(
          t.app,
          `${role}@${self.orgName.split(' ')[0]!.toLowerCase()}.example`,
        );
        const calls = callsFor(other, n++);
        for (const route of routes) {
          for (const call of calls[route]!) {
            const res = await session.request(call.method, call.url, call.payload, call.headers);
            expect(
              res.statusCode,
              `${role} of ${self.orgName}: ${route} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
            ).toBeLessThan(500);
            if (route === 'POST /api/auth/login') continue; // answers about the credentials it was given
            // A problem's `instance` echoes the path the caller asked for: that is not a leak.
            const body = res.body.split(call.url.split('?')[0]!).join('');
            for (const secret of secrets) {
              expect(
                body.includes(secret),
                `${role} of ${self.orgName} saw "${secret}" of ${other.orgName} via ${route}`,
              ).toBe(false);
            }
            // Creating records on the other organization's site, project, worker, assignment or cases is refused:
            // as forbidden, or as a request naming records that do not exist for the caller (with the field).
            if (
              [
                'POST /api/sites',
                'POST /api/projects',
                'POST /api/assignments',
                'POST /api/cases',
                'POST /api/batches',
              ].includes(route)
            ) {
              expect(
                [400, 403, 404],
                `${role}: ${route} on the other organization -> ${res.statusCode}`,
              ).toContain(res.statusCode);
            }
            // Anything aimed at the other organization's records is refused.
            if (
              /:id/.test(route) ||
              route === 'POST /api/partner-links' ||
              route === 'POST /api/users' ||
              (route.startsWith('POST /api/quota/') && call.method === 'POST')
            ) {
              expect(
                [403, 404],
                `${role}: ${route} on the other organization -> ${res.statusCode}`,
              ).toContain(res.statusCode);
            }
          }
        }
      }
    }
    // The other organization's records are untouched.
    if (orgs[1]!.pipeline.caseId) {
      const [c] = await t.db.query<{ status: string; stage: string }>(
        'SELECT status, stage FROM cases WHERE id = $1',
        [orgs[1]!.pipeline.caseId],
      );
      expect(c!.status).toBe('open');
      const [docs] = await t.db.query<{ n: string }>(
        'SELECT count(*) AS n FROM case_documents WHERE case_id = $1',
        [orgs[1]!.pipeline.caseId],
      );
      expect(Number(docs!.n)).toBe(1);
      const [w] = await t.db.query<{ phone: string | null }>('SELECT phone FROM workers WHERE id = $1', [
        orgs[1]!.pipeline.workerId,
      ]);
      expect(w!.phone).toBeNull();
    }
    const [link] = await t.db.query('SELECT 1 FROM partner_links WHERE id = $1', [orgs[1]!.linkId]);
    expect(link).toBeDefined();
    const [token] = await t.db.query<{ revoked_at: Date | null }>(
      'SELECT revoked_at FROM api_tokens WHERE id = $1',
      [orgs[1]!.tokenId],
    );
    expect(token!.revoked_at).toBeNull();
  });

  it("counsel works on its clients' cases and sees nothing of anyone else; an officer sees no one", async () => {
    // A law firm that organization A names counsel, and a government officer.
    const platform = await Session.login(t.app, 'platform@korus.example');
    const firm = (
      await platform.post('/api/organizations', { name: 'Charlie Law (test)', kind: 'law_firm' })
    ).json();
    const gov = (
      await platform.post('/api/organizations', { name: 'Delta Desk (test)', kind: 'government' })
    ).json();
    // Issue 17: an embassy desk and a working group, neither of which B's batch was ever sent to.
    const deskOrg = (
      await platform.post('/api/organizations', {
        name: 'Echo Embassy Desk (test)',
        kind: 'government',
        mandates: ['embassy_desk'],
      })
    ).json();
    const groupOrg = (
      await platform.post('/api/organizations', {
        name: 'Foxtrot Working Group (test)',
        kind: 'government',
        mandates: ['working_group'],
      })
    ).json();
    expect(deskOrg.mandates).toEqual(['embassy_desk']);
    for (const [email, organizationId] of [
      ['counsel@charlie.example', firm.id],
      ['officer@delta.example', gov.id],
      ['desk@echo.example', deskOrg.id],
      ['group@foxtrot.example', groupOrg.id],
    ] as const) {
      const made = await platform.post('/api/users', {
        email,
        displayName: email,
        role: 'staff',
        organizationId,
        password: DEMO_PASSWORD,
      });
      expect(made.statusCode, made.body).toBe(201);
    }
    const alphaAdmin = await Session.login(t.app, 'admin@alpha.example');
    const engaged = await alphaAdmin.put(`/api/organizations/${orgs[0]!.orgId}/counsel`, {
      lawFirmIds: [firm.id],
    });
    expect(engaged.statusCode, engaged.body).toBe(200);
    const counsel = await Session.login(t.app, 'counsel@charlie.example');
    const officer = await Session.login(t.app, 'officer@delta.example');
    const deskOfficer = await Session.login(t.app, 'desk@echo.example');
    const groupOfficer = await Session.login(t.app, 'group@foxtrot.example');
    // The console's layer holds both organizations' cases: its figures still name no person of B.
    expect((await platform.post('/api/console/refresh', {})).statusCode).toBe(200);
    // Counsel reads A's case and works on it: comments, documents, letters; it does not move stages.
    const a = orgs[0]!.pipeline;
    if (a.caseId) {
      expect((await counsel.get(`/api/cases/${a.caseId}`)).statusCode).toBe(200);
      expect((await counsel.get('/api/cases')).json().items.map((c: { id: string }) => c.id)).toContain(
        a.caseId,
      );
      expect((await counsel.get(`/api/workers/${a.workerId}`)).statusCode).toBe(200);
      expect(
        (await counsel.post(`/api/cases/${a.caseId}/comments`, { body: 'Checked the contract clause.' }))
          .statusCode,
      ).toBe(201);
      const upload = multipartBody('counsel.pdf', 'application/pdf', PDF);
      expect(
        (
          await counsel.request(
            'POST',
            `/api/cases/${a.caseId}/documents?docType=counsel_note`,
            upload.payload,
            upload.headers,
          )
        ).statusCode,
      ).toBe(201);
      // …makes letters on them…
      const letter = await counsel.post(`/api/cases/${a.caseId}/letters`, {
        kind: 'support',
        signatory: { name: 'Dana Lowell', title: 'Partner' },
        contact: {
          address: '1 Peachtree St, Atlanta, GA',
          phone: '+1-404-555-0142',
          email: 'd@charlie.example',
        },
        equipment: {
          description: 'Electrode coating line',
          seller: 'Alpha Co., Ltd.',
          buyer: 'Alpha Georgia LLC',
          contractReference: 'AL-2026-7',
          contractDate: '2026-03-02',
          clause: 'Article 7.2: the Seller installs the Equipment and trains the Buyer’s personnel.',
        },
      });
      expect(letter.statusCode, letter.body).toBe(200);
      expect(letter.headers['content-type']).toBe('application/pdf');
      // …and moves no stage: that is the employer's.
      expect((await counsel.post(`/api/cases/${a.caseId}/transitions`, { to: 'withdrawn' })).statusCode).toBe(
        403,
      );
    }
    // Nothing of B reaches counsel or the officer, on any route.
    const other = orgs[1]!;
    const secrets = [
      other.orgId,
      other.orgName,
      other.partnerId,
      other.siteId,
      ...Object.values(other.pipeline),
      ...other.emails,
      ...Object.values(other.userIds),
    ].filter((x) => x !== '');
    let n = 500;
    for (const [who, session] of [
      ['counsel', counsel],
      ['officer', officer],
      ['desk', deskOfficer],
      ['group', groupOfficer],
    ] as const) {
      const calls = callsFor(other, n++);
      for (const route of routes) {
        for (const call of calls[route]!) {
          const res = await session.request(call.method, call.url, call.payload, call.headers);
          expect(
            res.statusCode,
            `${who}: ${route} -> ${res.statusCode} ${res.body.slice(0, 200)}`,
          ).toBeLessThan(500);
          if (route === 'POST /api/auth/login') continue;
          const body = res.body.split(call.url.split('?')[0]!).join('');
          // Officers run the quota ledger: they see which organization holds a number or a registration (never a
          // person's name, e-mail or record).
          // The same for aggregate lead times by organization or project.
          // The working group's console names organizations, their sites and projects (never a person).
          const officerLedger =
            (who === 'officer' || who === 'group' || who === 'desk') &&
            (route.includes('/api/quota/') ||
              route === 'GET /api/stats/lead-times' ||
              // Government organizations keep the directory near every site (issue 19): they see the sites.
              route === 'GET /api/directory/sites' ||
              route === 'GET /api/sites/:id/directory' ||
              route === 'POST /api/sites/:id/directory' ||
              (who === 'group' && route.startsWith('GET /api/console/')));
          for (const secret of secrets) {
            if (
              officerLedger &&
              [other.orgId, other.orgName, other.pipeline.projectId, other.siteId].includes(secret)
            )
              continue;
            expect(body.includes(secret), `${who} saw "${secret}" of ${other.orgName} via ${route}`).toBe(
              false,
            );
          }
        }
      }
    }
    // The officers see no person at all (aggregates only; a desk, the people of batches sent to it).
    for (const session of [officer, deskOfficer, groupOfficer]) {
      expect((await session.get('/api/workers')).statusCode).toBe(403);
      expect((await session.get('/api/cases')).statusCode).toBe(403);
      expect((await session.get('/api/batches')).statusCode).toBe(403);
    }
    expect((await deskOfficer.get('/api/desk/batches?status=all')).json().items).toEqual([]);
    expect((await groupOfficer.get('/api/desk/batches')).statusCode).toBe(403);
    expect((await deskOfficer.get('/api/console/summary')).statusCode).toBe(403);
  });

  it('gives each role exactly its capabilities', async () => {
    const expectations: Record<string, Record<Role, number>> = {
      'GET /api/users': { platform_admin: 200, admin: 200, staff: 403, viewer: 403, worker: 403 },
      'POST /api/tokens': { platform_admin: 201, admin: 201, staff: 201, viewer: 403, worker: 403 },
      'POST /api/assessments': { platform_admin: 201, admin: 201, staff: 201, viewer: 403, worker: 403 },
      'GET /api/audit-events': { platform_admin: 200, admin: 200, staff: 403, viewer: 403, worker: 403 },
      'GET /api/assessments': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 403 },
      'POST /api/organizations': { platform_admin: 201, admin: 403, staff: 403, viewer: 403, worker: 403 },
      // Counsel and emergency contacts: everyone of the organization reads them, its administrators write.
      'GET /api/organizations/:id/contacts': {
        platform_admin: 200,
        admin: 200,
        staff: 200,
        viewer: 200,
        worker: 200,
      },
      'PUT /api/organizations/:id/contacts': {
        platform_admin: 200,
        admin: 200,
        staff: 403,
        viewer: 403,
        worker: 403,
      },
      'GET /api/rules': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 200 },
      // Quota writes: government officers (and platform administrators) only; companies read.
      'POST /api/quota/:program/:fiscalYear/reservations': {
        platform_admin: 201,
        admin: 403,
        staff: 403,
        viewer: 403,
        worker: 403,
      },
      'GET /api/quota/:program/:fiscalYear': {
        platform_admin: 200,
        admin: 200,
        staff: 200,
        viewer: 200,
        worker: 403,
      },
      // The pipeline: companies read and write (viewers read), a worker sees only their own record.
      'GET /api/cases': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 403 },
      'GET /api/workers': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 403 },
      'GET /api/workers/me': { platform_admin: 404, admin: 404, staff: 404, viewer: 404, worker: 404 },
      'GET /api/stats/lead-times': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 403 },
      'GET /api/stats/overview': { platform_admin: 200, admin: 200, staff: 200, viewer: 200, worker: 403 },
      // Alerts: administrators, staff and workers have a notification centre; administrators run the scan.
      'GET /api/notifications': { platform_admin: 200, admin: 200, staff: 200, viewer: 403, worker: 200 },
      'POST /api/alerts/scan': { platform_admin: 200, admin: 200, staff: 403, viewer: 403, worker: 403 },
      // A draft batch: the investor's writers edit it; viewers and workers cannot.
      'PATCH /api/batches/:id': {
        platform_admin: 200,
        admin: 200,
        staff: 200,
        viewer: 403,
        worker: 403,
      },
      'POST /api/projects/:id/staffing-plans': {
        platform_admin: 201,
        admin: 201,
        staff: 201,
        viewer: 403,
        worker: 403,
      },
    };
    let n = 100;
    for (const role of ['platform_admin', ...roles] as Role[]) {
      const email = role === 'platform_admin' ? 'platform@korus.example' : `${role}@alpha.example`;
      const session = await Session.login(t.app, email);
      for (const [route, byRole] of Object.entries(expectations).filter(([r]) => routes.includes(r))) {
        const call = callsFor(orgs[0]!, n++)[route]![0]!;
        const res = await session.request(call.method, call.url, call.payload, call.headers);
        expect(res.statusCode, `${role}: ${route}`).toBe(byRole[role]);
      }
    }
  });
});

function apiRoutes(t: TestApp): string[] {
  // The API, and the calendar feed (public, its secret in the URL).
  return [...new Set(t.app.routeList)]
    .filter((r) => (r.includes(' /api/') && !r.includes('/api/docs')) || r.includes(' /calendar/'))
    .sort();
}
