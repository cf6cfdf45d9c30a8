import { z } from 'zod';
import { activityIdSchema, bilingualSchema, categoryIdSchema, referenceSchema } from './assessment.js';

/** The catalog of the rules (`GET /api/rules`): categories with their requirements, activities, parameters. */
export const parameterUnits = [
  'day',
  'usd',
  'count',
  'percent',
  'year',
  'month',
  'boolean',
  'date',
  'text',
  'object',
] as const;
export const parameterUnitSchema = z.enum(parameterUnits);
export type ParameterUnit = z.infer<typeof parameterUnitSchema>;

/** JSON value of a parameter (number, string, boolean, structured object, or null = not in force). */
export type ParameterValue =
  string | number | boolean | null | ParameterValue[] | { [key: string]: ParameterValue };
export const parameterValueSchema: z.ZodType<ParameterValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(parameterValueSchema),
    z.record(z.string(), parameterValueSchema),
  ]),
);

export const catalogRequirementSchema = z.object({
  id: z.string(),
  citation: z.string(),
  sourceUrl: z.string(),
  summary: bilingualSchema,
  attestation: z.boolean(),
  provision: z.string().optional(),
  /** When the rule was last checked against its source, and when it is due again (rules/reviews.yaml). */
  reviewed: z.string(),
  reviewBy: z.string(),
});

export const catalogCategorySchema = z.object({
  id: categoryIdSchema,
  name: bilingualSchema,
  openToKoreanNationals: z.boolean(),
  proposed: z.boolean(),
  summary: bilingualSchema,
  requirements: z.array(catalogRequirementSchema),
});

export const catalogActivitySchema = z.object({
  id: activityIdSchema,
  label: bilingualSchema,
  help: bilingualSchema,
});

export const catalogParameterValueSchema = z.object({
  effective: z.string(),
  value: parameterValueSchema,
  reference: z.array(referenceSchema),
  status: z.literal('verify').optional(),
  note: z.string().optional(),
});

export const catalogParameterSchema = z.object({
  id: z.string(),
  label: bilingualSchema,
  description: z.string(),
  unit: parameterUnitSchema,
  values: z.array(catalogParameterValueSchema),
  reviewed: z.string(),
  reviewBy: z.string(),
});

export const rulesCatalogSchema = z.object({
  rulesVersion: z.string(),
  earliestAsOf: z.string().optional(),
  categories: z.array(catalogCategorySchema),
  activities: z.array(catalogActivitySchema),
  parameters: z.array(catalogParameterSchema),
  disclaimer: bilingualSchema.optional(),
});
export type RulesCatalog = z.infer<typeof rulesCatalogSchema>;
export type CatalogCategory = z.infer<typeof catalogCategorySchema>;
export type CatalogParameter = z.infer<typeof catalogParameterSchema>;
