export {
  approveChecks,
  assertUnlocked,
  dropLineChecks,
  lockMessage,
  methodFor,
  NO_CHECKS,
  requireChecks,
  verifiedAge,
  type Approval,
  type ApprovalMethod,
  type SaleCheck,
  type SaleChecks,
  type TillMode,
} from './approvals';
export { addToBasket, basketReceipt, EMPTY_BASKET, identifyCustomer, removeLine, setLineQuantity, type Basket, type ReceiptContext } from './basket';
export { cashUnitFor, defaultCashUnit, roundToCashUnit } from './cash-rounding';
export { currencyExponent } from './currency';
export { effectKey, orderingKeyOf, planEnvelope, type PlannedEffect, type PlannedEffectKind, type PlannedEnvelope } from './effects';
export { buildRefundEntry, buildSaleEntry, buildVoidEntry, type EntryHeader, type PayBack, type RefundLine, type SaleParts } from './entries';
export type { EntryTender, SaleEntry } from './entry';
export { fromEngineResult, toEngineReceipt } from './engine-receipt';
export { lineGross, makeLine, type LineInput } from './lines';
export { priceBasket, type PricedBasket, type PricingOptions } from './price-basket';
export type { DiscountLine, ReceiptDiscount, SaleItem, SaleKind, SaleReceipt } from './model';
export { provisionalReceiptDocument, receiptDocument, type ProvisionalContext, type ReceiptDocument } from './receipt-document';
export { receiptId, saleNoOf } from './receipt-id';
export { isExternalCard, isValueTender, mostPayable, settle, stillToPay, type SettleOptions, type Settlement, type SettledTender, type Tender, type TenderKind } from './tenders';
export { lineDiscount, settleLines, settleReceipt, totalsOf, vatLines, type Totals, type VatLine } from './totals';
