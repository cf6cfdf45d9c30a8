import type { App } from '../../http/fastify.js';
import type { AppOptions } from '../../app-options.js';
import { describeRules } from '../../../core/rules/index.js';
import { rulesCatalogSchema } from '../../../contract/rules-catalog.js';

export async function rulesRoutes(app: App, { rules }: AppOptions) {
  // Computed once: the rules are loaded at start-up and never change while the server runs.
  const catalog = describeRules(rules);
  app.get(
    '/api/rules',
    {
      config: { capability: 'rules.read' },
      schema: { tags: ['guidelines'], summary: 'Categories, activities and dated, cited parameters of the rules in force', response: { 200: rulesCatalogSchema } },
    },
    async () => catalog,
  );
}
