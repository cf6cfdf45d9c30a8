import type { RulesCatalog } from '../../contract/rules-catalog.js';
import { activityIds } from '../../contract/assessment.js';
import { activityCatalog } from '../visas/activities.js';
import { disclaimer, type Rules } from './engine.js';

/** The catalog behind `GET /api/rules`: categories and requirements, activities, every parameter's dated values. */
export function describeRules(rules: Rules): RulesCatalog {
  return {
    rulesVersion: rules.rulesVersion,
    earliestAsOf: rules.earliestAsOf,
    categories: rules.categories.map((c) => ({
      id: c.id,
      name: c.name,
      openToKoreanNationals: c.openToKoreanNationals,
      proposed: c.proposed,
      summary: c.summary,
      requirements: c.requirements.map((r) => ({
        id: r.id,
        citation: r.citation,
        sourceUrl: r.sourceUrl,
        summary: r.summary,
        attestation: r.attestation,
        ...(r.provision ? { provision: r.provision } : {}),
        reviewed: rules.reviews.get(r.id)?.reviewed ?? '',
        reviewBy: rules.reviews.get(r.id)?.reviewBy ?? '',
      })),
    })),
    activities: activityIds.map((id) => ({ id, label: activityCatalog[id].label, help: activityCatalog[id].help })),
    parameters: [...rules.parameters.parameters.values()]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((p) => ({
        id: p.id,
        label: p.label,
        description: p.description,
        unit: p.unit,
        values: p.values.map((v) => ({
          effective: v.effective,
          value: v.value,
          reference: v.reference,
          ...(v.status ? { status: v.status } : {}),
          ...(v.note ? { note: v.note } : {}),
        })),
        reviewed: p.reviewed,
        reviewBy: p.reviewBy,
      })),
    disclaimer,
  };
}
