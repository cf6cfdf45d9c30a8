/** The rules engine: load once at start-up, then assess purely. */
export { assess, assessCategory, disclaimer, loadRules, recommend, rulesVersionOf, RULES_CODE_VERSION, type Rules } from './engine.js';
export { AssessmentInputError, EARLIEST_AS_OF, parseAssessmentRequest, withDefaultAsOf, type InputIssue } from './input.js';
export { describeRules } from './catalog.js';
export {
  loadParameters,
  parameterAt,
  parameterEntryAt,
  ParameterValidationError,
  type ParameterDefinition,
  type ParameterEntry,
  type ParameterIssue,
  type ParameterSet,
  type ResolvedParameter,
} from './parameters.js';
export type { AssessmentRequest, AssessmentResponse } from '../../contract/assessment.js';
export type { RulesCatalog } from '../../contract/rules-catalog.js';
export { dueForReview, loadRequirementReviews, type DueItem, type Review } from './review.js';
