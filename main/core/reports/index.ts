export { computeDayReport, DayReportError, tenderKindOf, type DayReport, type DayReportDay, type DayReportInput, type CountAmount, type DayCash, type DayReportKind, type DiscountTotal, type FiscalCounts, type KindTotals, type TenderTotal, type VatTotal, type WriteOffTotals } from './day-report';
export { dayReportCsv, dayReportFileName, REPORT_CSV_HEADER } from './report-csv';
