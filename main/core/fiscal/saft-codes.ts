import { assertNever } from '../errors';

/**
 * The SAF-T Cash Register code lists this till uses (Skatteetaten/saf-t, `Cash Register Code Lists/`:
 * BasicType, PredefinedBasicID-04, -11, -12 and -13). A SAF-T file names its own codes (`basicID`) in
 * `<basics>` and maps each to the predefined code; the till's own ids are the constants below, so a file
 * always reads the same way. Descriptions are ours.
 */
export type FiscalEventCode =
  | 'app_start'
  | 'app_stop'
  | 'login'
  | 'logout'
  | 'drawer_open_sale'
  | 'drawer_open_no_sale'
  | 'drawer_close'
  | 'x_report'
  | 'z_report'
  | 'suspend'
  | 'resume'
  | 'sales_receipt'
  | 'return_receipt'
  | 'void_receipt'
  | 'copy_receipt'
  | 'provisional_receipt'
  | 'training_receipt'
  | 'cash_withdrawal'
  | 'price_change'
  | 'price_lookup'
  | 'training_on'
  | 'training_off'
  | 'sale_cancelled'
  | 'line_deleted'
  | 'line_reduced'
  | 'no_receipt_sale'
  | 'day_open'
  | 'day_close'
  | 'shift_open'
  | 'shift_close';

export type EventBasic = { readonly basicId: string; readonly predefined: string; readonly desc: string };

/** basicType 13 (events): the till's id, the predefined code (PredefinedBasicID-13), a description. */
export function eventBasic(code: FiscalEventCode): EventBasic {
  switch (code) {
    case 'app_start':
      return { basicId: 'POSSTART', predefined: '13001', desc: 'Till application started' };
    case 'app_stop':
      return { basicId: 'POSEND', predefined: '13002', desc: 'Till application stopped' };
    case 'login':
      return { basicId: 'EMPIN', predefined: '13003', desc: 'Employee logged in' };
    case 'logout':
      return { basicId: 'EMPOUT', predefined: '13004', desc: 'Employee logged out' };
    case 'drawer_open_sale':
      return { basicId: 'DRAWOPEN', predefined: '13005', desc: 'Cash drawer opened with a sale or return' };
    case 'drawer_open_no_sale':
      // A drawer opened with no sale or pay-back ("nullinnslag"): counted apart on X and Z reports.
      return { basicId: 'DRAWNOSALE', predefined: '13005', desc: 'Cash drawer opened without a sale' };
    case 'drawer_close':
      return { basicId: 'DRAWCLOSE', predefined: '13006', desc: 'Cash drawer closed' };
    case 'x_report':
      return { basicId: 'XREP', predefined: '13008', desc: 'X report' };
    case 'z_report':
      return { basicId: 'ZREP', predefined: '13009', desc: 'Z report' };
    case 'suspend':
      return { basicId: 'SUSPEND', predefined: '13010', desc: 'Sale parked' };
    case 'resume':
      return { basicId: 'RESUME', predefined: '13011', desc: 'Parked sale resumed' };
    case 'sales_receipt':
      return { basicId: 'SALREC', predefined: '13012', desc: 'Sales receipt printed' };
    case 'return_receipt':
      return { basicId: 'RETREC', predefined: '13013', desc: 'Return receipt printed' };
    case 'void_receipt':
      return { basicId: 'VOIDREC', predefined: '13028', desc: 'Void receipt printed' };
    case 'copy_receipt':
      return { basicId: 'COPYREC', predefined: '13014', desc: 'Copy receipt printed' };
    case 'provisional_receipt':
      return { basicId: 'PROVREC', predefined: '13015', desc: 'Provisional receipt printed' };
    case 'training_receipt':
      return { basicId: 'TRAINREC', predefined: '13017', desc: 'Training receipt printed' };
    case 'cash_withdrawal':
      return { basicId: 'CASHOUT', predefined: '13019', desc: 'Cash taken out of the drawer' };
    case 'price_change':
      return { basicId: 'PRICECHG', predefined: '13021', desc: 'Price changed' };
    case 'price_lookup':
      return { basicId: 'PRICELOOKUP', predefined: '13022', desc: 'Price looked up' };
    case 'training_on':
      return { basicId: 'TRAINON', predefined: '13023', desc: 'Training mode on' };
    case 'training_off':
      return { basicId: 'TRAINOFF', predefined: '13024', desc: 'Training mode off' };
    case 'sale_cancelled':
      return { basicId: 'SALECANCEL', predefined: '13999', desc: 'Sale cancelled before payment' };
    case 'line_deleted':
      return { basicId: 'LINEDELETE', predefined: '13999', desc: 'Line removed from a sale' };
    case 'line_reduced':
      return { basicId: 'LINEREDUCE', predefined: '13999', desc: 'Line quantity reduced in a sale' };
    case 'no_receipt_sale':
      return { basicId: 'NORECEIPT', predefined: '13030', desc: 'Sale completed without a printed receipt' };
    case 'day_open':
      return { basicId: 'DAYOPEN', predefined: '13999', desc: 'Business day opened' };
    case 'day_close':
      return { basicId: 'DAYCLOSE', predefined: '13999', desc: 'Business day closed' };
    case 'shift_open':
      return { basicId: 'SHIFTOPEN', predefined: '13999', desc: 'Shift opened' };
    case 'shift_close':
      return { basicId: 'SHIFTCLOSE', predefined: '13999', desc: 'Shift closed' };
    default:
      return assertNever(code);
  }
}

export const FISCAL_EVENT_CODES: readonly FiscalEventCode[] = [
  'app_start', 'app_stop', 'login', 'logout', 'drawer_open_sale', 'drawer_open_no_sale', 'drawer_close', 'x_report', 'z_report', 'suspend', 'resume',
  'sales_receipt', 'return_receipt', 'void_receipt', 'copy_receipt', 'provisional_receipt', 'training_receipt', 'cash_withdrawal', 'price_change',
  'price_lookup', 'training_on', 'training_off', 'sale_cancelled', 'line_deleted', 'line_reduced', 'no_receipt_sale', 'day_open', 'day_close',
  'shift_open', 'shift_close',
];

export function isFiscalEventCode(text: string): text is FiscalEventCode {
  return (FISCAL_EVENT_CODES as readonly string[]).includes(text);
}

export type EntryKind = 'sale' | 'void' | 'refund';

/** basicType 11 (transaction types, PredefinedBasicID-11). */
export function transactionBasic(kind: EntryKind): EventBasic {
  switch (kind) {
    case 'sale':
      return { basicId: 'CASHSAL', predefined: '11001', desc: 'Sale' };
    case 'refund':
      return { basicId: 'RETURNSAL', predefined: '11006', desc: 'Return, money paid back' };
    case 'void':
      return { basicId: 'VOIDSAL', predefined: '11009', desc: 'Void of a whole sale (correction)' };
    default:
      return assertNever(kind);
  }
}

/** basicType 12 (payment types, PredefinedBasicID-12), from the tender kind as reports name it. */
export function paymentBasic(tenderKind: string): EventBasic {
  switch (tenderKind) {
    case 'cash':
      return { basicId: 'CASH', predefined: '12001', desc: 'Cash' };
    case 'card':
      // The terminal does not tell debit from credit; in Norway most card payments are debit (BankAxept).
      return { basicId: 'CARD', predefined: '12002', desc: 'Payment card' };
    case 'gift_card':
      return { basicId: 'GIFTCARD', predefined: '12005', desc: 'Gift card' };
    case 'loyalty_points':
      return { basicId: 'POINTS', predefined: '12007', desc: 'Loyalty points' };
    case 'loyalty_credit':
      return { basicId: 'CREDIT', predefined: '12006', desc: 'Customer account credit' };
    default:
      return { basicId: 'OTHERPAY', predefined: '12999', desc: 'Other payment' };
  }
}

/** basicType 05 (line types): sold, or given back by a void or refund. */
export const LINE_BASICS = {
  sale: { basicId: 'SAL', desc: 'Sale line' },
  return: { basicId: 'RET', desc: 'Return or void line' },
} as const;

/** Article group of an item without one (PredefinedBasicID-04 04003, sale of goods). */
export const DEFAULT_ARTICLE_GROUP = { id: 'GOODS', predefined: '04003', desc: 'Goods' } as const;

/** PredefinedBasicID-04 codes are five digits starting 04 (04001-04021, 04999). */
export function isArticleGroupCode(code: string): boolean {
  return /^04(0(0[1-9]|1\d|2[01])|999)$/.test(code);
}

/** Standard VAT code (Skatteetaten/saf-t `Standard Tax Codes`) for output VAT at a rate in basis points. */
export function standardVatCode(rateBp: number): string {
  switch (rateBp) {
    case 2500:
      return '3';
    case 1500:
      return '31';
    case 1200:
      return '33';
    case 1111:
      return '32';
    case 0:
      return '5';
    default:
      // A rate Norway does not have: reported as no VAT treatment so a reader sees it needs attention.
      return '7';
  }
}
