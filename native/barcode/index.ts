/** Barcode classification and validation: pure, no I/O. `parseScan` is the entry point. */
export { parseScan, type ParseScanOptions } from './parse-scan';
export { gs1CheckDigit, hasValidCheckDigit, priceVerifierDigit, withCheckDigit } from './check-digit';
export { compressUpcA, expandUpcE, parseGtin } from './gtin';
export { AI_TABLE, lookupAi, type AiDefinition } from './gs1-ai';
export { GS, parseElementString, resolveDate, splitElementString, type Gs1Element } from './gs1-element-string';
export { EXAMPLE_LAYOUTS, findLayout, layoutProblem, parseInStore, type DigitField, type InStoreLayout } from './in-store';
export { splitSymbology } from './symbology';
export type * from './scan-result';
export { SCAN_ERROR_CODES, scanError } from './scan-result';
