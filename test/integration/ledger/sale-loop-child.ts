// A till process for the ledger crash test: opens the till database (opening a business day and a shift when
// none is open), then commits sales as fast as it can, with now and then a void and an offline gift card
// checked against the offline limits, until it is killed. After each commit it prints the receipt id, so the
// parent knows what this process reported as committed before it died.
import type { CatalogItem } from '../../../main/core/catalog';
import { minor } from '../../../main/core/money';
import { addToBasket, basketReceipt, EMPTY_BASKET, type Tender } from '../../../main/core/sale';
import type { OfflineLimits } from '../../../main/core/sale/offline-limits';
import { openDb } from '../../../main/store';
import { putBalance } from '../../../main/store/balance-cache';
import { commitSale, currentBusinessDay, currentShift, openBusinessDay, openShift, voidSale, type TillIdentity } from '../../../main/store/ledger';
import { recoverPrinting } from '../../../main/store/print-jobs';

const [file, seedText] = process.argv.slice(2);
if (!file) throw new Error('usage: sale-loop-child.ts DB [SEED]');

const TILL: TillIdentity = { branchId: 'crash-branch', posId: 'till-9', currency: 'NOK' };
const ITEMS: CatalogItem[] = [
  { id: 'milk', codes: ['07038010009457'], name: 'Milk 1 l', groups: [{ id: 'dairy' }], unitPrice: minor(2190), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true },
  { id: 'bread', codes: ['bread1'], name: 'Bread', groups: [{ id: 'bakery' }], unitPrice: minor(4490), vatRateBp: 1500, unit: 'piece', eligibleForDiscount: true },
  { id: 'soap', codes: ['soap1'], name: 'Soap', groups: [{ id: 'home' }], unitPrice: minor(3350), vatRateBp: 2500, unit: 'piece', eligibleForDiscount: false },
];
const LIMITS: OfflineLimits = {
  giftCard: { perPayment: 2_000, perMemberPerDay: 1_000_000_000, totalOpenExposure: 1_000_000_000 },
  points: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
  credit: { perPayment: 0, perMemberPerDay: 0, totalOpenExposure: 0 },
};

// A small deterministic generator (mulberry32): the child's sales vary, but the same seed gives the same run.
let state = Number(seedText ?? 1) >>> 0;
function random(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const db = openDb(file);
const now = (): Date => new Date();
if (!currentBusinessDay(db)) openBusinessDay(db, now());
if (!currentShift(db)) openShift(db, 'crash', minor(10_000), now());
recoverPrinting(db);
putBalance(db, 'gift_card', 'crash-card', 1_000_000_000, Date.now());

process.stdout.write('ready\n');
for (let n = 0; ; n++) {
  let basket = EMPTY_BASKET;
  const lines = 1 + Math.floor(random() * 12);
  for (let i = 0; i < lines; i++) basket = addToBasket(basket, { item: ITEMS[Math.floor(random() * ITEMS.length)] ?? ITEMS[0] as CatalogItem });
  const receipt = basketReceipt(basket, { receiptId: 'draft', purchaseAt: now().toISOString(), storeId: TILL.branchId, currency: TILL.currency });
  const due = receipt.items.reduce((s, i) => s + i.gross_amount, 0);
  const pick = random();
  // Some gift cards ask for more than the per-payment limit: those sales are refused and must leave no trace.
  const giftCard = 1_000 + Math.floor(random() * 1_500);
  const tenders: Tender[] =
    pick < 0.5
      ? [{ kind: 'cash', amount: minor(due + Math.floor(random() * 500)) }]
      : pick < 0.75
        ? [{ kind: 'card', amount: minor(due), terminalRef: `T-${n}` }]
        : [{ kind: 'gift_card', amount: minor(giftCard), cardToken: 'crash-card', offline: true }, { kind: 'cash', amount: minor(due - giftCard) }];
  try {
    const { entry } = commitSale(db, { till: TILL, receipt, tenders, ruleSetVersion: 'crash-rules', offlineLimits: LIMITS }, now());
    process.stdout.write(`${entry.receiptId}\n`);
    if (random() < 0.15) process.stdout.write(`${voidSale(db, { till: TILL, receiptId: entry.receiptId }, now()).entry.receiptId}\n`);
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'OFFLINE_LIMIT')) throw err;
  }
}
