export { gtinCheckDigit, lookupKey, normalizeCode, type CodeResult } from './codes';
export { parseCsv, type CsvRecord } from './csv';
export type { CatalogItem, ItemGroup, ItemUnit } from './item';
export { CATALOG_COLUMNS, parseCatalog, parseCatalogCsv, parseCatalogJson, validateRow, type CatalogFormat, type GoodRow, type ParsedCatalog, type RowProblem } from './rows';
