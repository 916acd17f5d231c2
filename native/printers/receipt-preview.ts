import { assertNever } from '../../main/core/errors';
import { createLogoImage, logoSvg } from './logo';
import { layoutLineText, type LayoutLine, type ReceiptColumns } from './receipt-layout';

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const UNESCAPES: Readonly<Record<string, string>> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => UNESCAPES[e] ?? e);
}

let logoMarkup: string | undefined;

/**
 * The on-screen preview of laid-out lines: one `<div class="line">` per printed line, monospace, with the
 * same text as the paper (escaped). Blocks carry their placeholder text in `data-text`, so the preview can be
 * compared with decoded printer bytes line by line. Styling belongs to the renderer; the classes say what
 * the printer does (`bold`, `double`) and `--columns` is the paper width in characters.
 */
export function renderPreviewHtml(lines: readonly LayoutLine[], columns: ReceiptColumns): string {
  const out: string[] = [`<div class="receipt" style="--columns:${columns}">`];
  for (const line of lines) {
    const placeholder = escapeHtml(layoutLineText(line));
    switch (line.kind) {
      case 'text': {
        const classes = ['line', ...(line.bold ? ['bold'] : []), ...(line.double ? ['double'] : [])].join(' ');
        out.push(`<div class="${classes}">${escapeHtml(line.text)}</div>`);
        break;
      }
      case 'logo':
        logoMarkup ??= logoSvg(createLogoImage());
        out.push(`<div class="line block logo" data-text="${placeholder}">${logoMarkup}</div>`);
        break;
      case 'qr':
        out.push(`<div class="line block qr" data-text="${placeholder}" data-value="${escapeHtml(line.value)}"></div>`);
        break;
      case 'barcode':
        out.push(`<div class="line block barcode" data-text="${placeholder}" data-value="${escapeHtml(line.value)}"></div>`);
        break;
      default:
        assertNever(line);
    }
  }
  out.push('</div>');
  return out.join('\n');
}

/** The text of each preview line, in order: the inverse of `renderPreviewHtml` for comparisons. */
export function previewTextLines(html: string): string[] {
  const out: string[] = [];
  const linePattern = /<div class="line([^"]*)"(?: data-text="([^"]*)")?[^>]*>(.*?)<\/div>$/gm;
  for (const match of html.matchAll(linePattern)) {
    const [, classes = '', dataText, body = ''] = match;
    out.push(unescapeHtml(classes.includes('block') ? (dataText ?? '') : body));
  }
  return out;
}
