import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { attestationSchema, signAttestationSchema } from '../../../contract/attestations.js';
import { caseAttestations, signAttestation } from '../../services/attestations/attestations.js';
import { pipelineDeps } from '../pipeline/index.js';

const tags = ['pipeline'];

/** Attestations a case relies on and their signatures (issue 18). */
export async function attestationRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const deps = pipelineDeps(options);
  const response = { 200: z.array(attestationSchema) };
  app.get(
    '/api/cases/:id/attestations',
    {
      config: { capability: 'pipeline.read' },
      schema: {
        tags,
        summary:
          "The attestations the case's result and letters rely on, each with its signature (void when the facts changed)",
        params: idParamsSchema,
        response,
      },
    },
    async (request) => caseAttestations(contextOf(db, request), deps, request.params.id),
  );
  app.post(
    '/api/cases/:id/attestations',
    {
      config: { capability: 'pipeline.write' },
      schema: {
        tags,
        summary: 'Sign an attestation: typed name and title, and the SHA-256 of the text shown',
        params: idParamsSchema,
        body: signAttestationSchema,
        response,
      },
    },
    async (request) => signAttestation(contextOf(db, request), deps, request.params.id, request.body),
  );
}
