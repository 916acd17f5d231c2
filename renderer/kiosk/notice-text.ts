import type { SaleNotice } from '../../main/api/contract';
import type { Messages } from '../shared/i18n';

/** A sale notice in the customer's words (the basket's notice bar, and the code and item dialogs). */
export function noticeText(n: SaleNotice, t: Messages): string {
  switch (n.code) {
    case 'added':
      return `${t.noticeAdded}: ${n.subject}`;
    case 'unknown-item':
      return t.noticeUnknownItem;
    case 'bad-barcode':
      return (n.scanError && t.scanErrors[n.scanError]) ?? t.noticeBadBarcode;
    case 'weight-required':
      return `${n.subject}: ${t.noticeWeightRequired}`;
    case 'failed':
      return t.noticeFailed;
    case 'member-lookup':
      return `${t.noticeMemberLookup}…`;
    case 'member':
      return t.kioskWelcomeMember.replace('{name}', n.subject);
    case 'unknown-member':
      return t.noticeUnknownMember;
  }
}
