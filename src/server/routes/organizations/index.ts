import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import {
  counselFirmsSchema,
  counselFirmsUpdateSchema,
  createOrganizationSchema,
  lawFirmListSchema,
  idParamsSchema,
  organizationContactsSchema,
  organizationContactsUpdateSchema,
  organizationListSchema,
  organizationSchema,
  signInSettingsInputSchema,
  signInSettingsSchema,
} from '../../../contract/api.js';
import { getSignInSettings, updateSignInSettings } from '../../services/sso.js';
import {
  createOrganization,
  getCounselFirms,
  getOrganizationContacts,
  listLawFirms,
  setCounselFirms,
  listOrganizations,
  replaceOrganizationContacts,
} from '../../services/organizations.js';

export async function organizationRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const ssoDeps = { cipher: options.cipher!, publicUrl: options.publicUrl };
  app.get(
    '/api/organizations',
    {
      schema: {
        tags: ['organizations'],
        summary: 'Organizations visible to the caller',
        response: { 200: organizationListSchema },
      },
    },
    async (request) => ({ items: await listOrganizations(contextOf(db, request)) }),
  );
  app.post(
    '/api/organizations',
    {
      config: { capability: 'admin.organizations' },
      schema: {
        tags: ['organizations'],
        summary: 'Create an organization (platform administrators)',
        body: createOrganizationSchema,
        response: { 201: organizationSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createOrganization(contextOf(db, request), request.body)),
  );
  app.get(
    '/api/organizations/:id/contacts',
    {
      schema: {
        tags: ['organizations'],
        summary: "An organization's counsel and emergency contacts (for the site roster's contact sheet)",
        params: idParamsSchema,
        response: { 200: organizationContactsSchema },
      },
    },
    async (request) => getOrganizationContacts(contextOf(db, request), request.params.id),
  );
  app.put(
    '/api/organizations/:id/contacts',
    {
      config: { capability: 'admin.contacts' },
      schema: {
        tags: ['organizations'],
        summary:
          "Replace an organization's counsel and emergency contacts (its administrators; platform administrators)",
        params: idParamsSchema,
        body: organizationContactsUpdateSchema,
        response: { 200: organizationContactsSchema },
      },
    },
    async (request) =>
      replaceOrganizationContacts(contextOf(db, request), request.params.id, request.body.items),
  );
  app.get(
    '/api/organizations/:id/sign-in',
    {
      config: { capability: 'admin.security' },
      schema: {
        tags: ['organizations'],
        summary: "An organization's sign-in policy: two-factor for administrators, single sign-on (OIDC)",
        params: idParamsSchema,
        response: { 200: signInSettingsSchema },
      },
    },
    async (request) => getSignInSettings(contextOf(db, request), ssoDeps, request.params.id),
  );
  app.put(
    '/api/organizations/:id/sign-in',
    {
      config: { capability: 'admin.security' },
      schema: {
        tags: ['organizations'],
        summary:
          "Set an organization's sign-in policy and single sign-on (its administrators; the client secret is write-only)",
        params: idParamsSchema,
        body: signInSettingsInputSchema,
        response: { 200: signInSettingsSchema },
      },
    },
    async (request) => updateSignInSettings(contextOf(db, request), ssoDeps, request.params.id, request.body),
  );
  app.get(
    '/api/organizations/:id/counsel',
    {
      schema: {
        tags: ['organizations'],
        summary: 'The law firms an organization names its counsel (they work on all its cases)',
        params: idParamsSchema,
        response: { 200: counselFirmsSchema },
      },
    },
    async (request) => getCounselFirms(contextOf(db, request), request.params.id),
  );
  app.put(
    '/api/organizations/:id/counsel',
    {
      config: { capability: 'admin.contacts' },
      schema: {
        tags: ['organizations'],
        summary: "Name an organization's counsel among the platform's law firms (its administrators)",
        params: idParamsSchema,
        body: counselFirmsUpdateSchema,
        response: { 200: counselFirmsSchema },
      },
    },
    async (request) => setCounselFirms(contextOf(db, request), request.params.id, request.body.lawFirmIds),
  );
  app.get(
    '/api/law-firms',
    {
      config: { capability: 'admin.contacts' },
      schema: {
        tags: ['organizations'],
        summary: 'The law firms of the platform (names), to choose counsel from',
        response: { 200: lawFirmListSchema },
      },
    },
    async (request) => listLawFirms(contextOf(db, request)),
  );
}
