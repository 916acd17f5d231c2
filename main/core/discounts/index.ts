/**
 * The discount engine: Dintero's rule model evaluated locally, explained, and fast. Semantics: docs/discounts.md.
 */
export { parseRules, formatPath, type ParsedRules, type RejectedRule } from './parse-rules';
export { buildIndex, candidatesFor, type RuleIndex } from './rule-index';
export {
  evaluate,
  type AppliedDiscount,
  type DiscountRef,
  type EvaluationContext,
  type EvaluationResult,
  type RuleOutcome,
} from './evaluate';
export { claimBody, type ClaimBody } from './claim';
export { explainText } from './explain-text';
export { REASON_CODES, type ReasonCode } from './reasons';
export { ruleKind, grantRefId, type RuleKind } from './model';
export { describeRule, grantsText, rewardText, ruleExplanationLines, ruleFacts, searchRules, type RuleAudience, type RuleDescription, type RuleFacts } from './describe-rule';
export {
  RuleSchema,
  ReceiptSchema,
  CustomerStateSchema,
  REWARD_TYPES,
  MAX_LINE_QUANTITY,
  type Rule,
  type Receipt,
  type ReceiptItem,
  type CustomerState,
  type RefState,
  type RewardType,
} from './schema';
