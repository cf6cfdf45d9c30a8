import labels from './rules-labels.json' with { type: 'json' };

/**
 * Bilingual names of the on-site activities, bundled into the web app so that pages without the rules catalog
 * (`GET /api/rules` needs a session and a connection) still show them: the status card offline, the public
 * verify page. `rules-labels.json` is generated from the rules catalog (`activityCatalog` in
 * `src/core/visas/activities.ts`, served by `GET /api/rules`); `rules-labels.test.ts` fails when the two
 * disagree, and `npx vitest run src/web/rules-labels.test.ts --update` writes it again.
 */
export type ActivityLabel = { en: string; ko: string };

export const activityLabels: Readonly<Record<string, ActivityLabel>> = labels.activities;

/** The activity's name in the language; an id the map does not know stays as it is. */
export function activityName(id: string, lang: 'en' | 'ko'): string {
  return Object.hasOwn(activityLabels, id) ? activityLabels[id]![lang] : id;
}
