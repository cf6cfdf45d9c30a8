import { z } from 'zod';
import { contextOf, type App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { idParamsSchema } from '../../../contract/api.js';
import { calibrationRequestSchema, scenarioSchema, simulationRequestSchema, simulationSchema } from '../../../contract/simulation.js'; // prettier-ignore
import { calibrate } from '../../services/simulations/calibration.js';
import {
  getSimulation,
  listSimulations,
  scenarioTemplates,
  startSimulation,
} from '../../services/simulations/simulations.js';

const tags = ['simulations'];

/** The policy simulator over HTTP (issue 21): templates, runs in the background, results kept and shared. */
export async function simulationRoutes(app: App, options: AppOptions) {
  const { db } = options;
  const run = { capability: 'simulations.run' } as const;
  const running = new Set<Promise<void>>();
  // Closing stops the threads of unfinished runs (they are marked failed, with the reason).
  const closing = new AbortController();
  app.addHook('onClose', async () => {
    closing.abort();
    await Promise.all([...running]);
  });
  app.get(
    '/api/simulations/templates',
    {
      config: run,
      schema: {
        tags,
        summary:
          'The shipped scenarios (today, the E-4 enacted, the desk doubled, an SME pool), to start from',
        response: { 200: z.array(z.object({ id: z.string(), scenario: scenarioSchema })) },
      },
    },
    async () => scenarioTemplates(),
  );
  app.get(
    '/api/simulations',
    { config: run, schema: { tags, summary: "The organization's runs, newest first (without their figures)", response: { 200: z.array(simulationSchema) } } }, // prettier-ignore
    async (request) => listSimulations(contextOf(db, request)),
  );
  app.post(
    '/api/simulations',
    {
      config: run,
      schema: {
        tags,
        summary:
          'Run a scenario (or two side by side) in the background: 202 with the run to follow; its figures come with 95% intervals',
        body: simulationRequestSchema,
        response: { 202: simulationSchema },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return startSimulation(contextOf(db, request), request.body, new Date(), running, closing.signal);
    },
  );
  app.post(
    '/api/simulations/calibrate',
    {
      config: run,
      schema: {
        tags,
        summary:
          "Calibrate a scenario from the cases of a period: measured stage durations, refusal and 221(g) rates and route shares replace the entered figures where at least minSample cases are behind them; every figure says its sample size (the caller's cases; a working group's, all)",
        body: calibrationRequestSchema,
        response: { 200: scenarioSchema },
      },
    },
    async (request) => calibrate(contextOf(db, request), request.body),
  );
  app.get(
    '/api/simulations/:id',
    { config: run, schema: { tags, summary: 'A run: its progress, then its figures', params: idParamsSchema, response: { 200: simulationSchema } } }, // prettier-ignore
    async (request) => getSimulation(contextOf(db, request), request.params.id),
  );
}
