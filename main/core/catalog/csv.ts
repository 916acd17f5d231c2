/**
 * A small RFC 4180 reader: quoted fields with doubled quotes, separators and line breaks inside quotes,
 * CRLF or LF. Each record carries the line number it starts on, so a bad row is reported where a person
 * opening the file in an editor will find it.
 */
export type CsvRecord = { readonly line: number; readonly fields: readonly string[] };

export type CsvResult = { readonly ok: true; readonly records: CsvRecord[] } | { readonly ok: false; readonly line: number; readonly reason: string };

/** Semicolons are what spreadsheet programs write in locales with a decimal comma. */
export function detectSeparator(headerLine: string): ',' | ';' | '\t' {
  const counts = { ',': 0, ';': 0, '\t': 0 };
  for (const ch of headerLine) if (ch === ',' || ch === ';' || ch === '\t') counts[ch]++;
  if (counts[';'] > counts[','] && counts[';'] >= counts['\t']) return ';';
  if (counts['\t'] > counts[','] && counts['\t'] > counts[';']) return '\t';
  return ',';
}

export function parseCsv(text: string, separator?: string): CsvResult {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // a BYTE ORDER MARK from Excel
  const firstBreak = body.indexOf('\n');
  const sep = separator ?? detectSeparator(firstBreak === -1 ? body : body.slice(0, firstBreak));
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const n = body.length;
  let atRecordStart = true;
  while (i < n) {
    if (atRecordStart) {
      recordLine = line;
      atRecordStart = false;
    }
    let value: string;
    if (body[i] === '"') {
      const startLine = line;
      let out = '';
      i++;
      for (;;) {
        const q = body.indexOf('"', i);
        if (q === -1) return { ok: false, line: startLine, reason: 'a quoted field is never closed' };
        const chunk = body.slice(i, q);
        for (let k = chunk.indexOf('\n'); k !== -1; k = chunk.indexOf('\n', k + 1)) line++;
        out += chunk;
        if (body[q + 1] === '"') {
          out += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      value = out;
      if (i < n && body[i] !== sep && body[i] !== '\n' && body[i] !== '\r') {
        return { ok: false, line, reason: 'text after a closing quote' };
      }
    } else {
      let j = i;
      while (j < n) {
        const c = body[j];
        if (c === sep || c === '\n' || c === '\r') break;
        j++;
      }
      value = body.slice(i, j);
      i = j;
    }
    fields.push(value);
    if (i >= n) break;
    if (body[i] === sep) {
      i++;
      if (i >= n) fields.push('');
      continue;
    }
    // end of record
    if (body[i] === '\r') i++;
    if (body[i] === '\n') i++;
    line++;
    records.push({ line: recordLine, fields });
    fields = [];
    atRecordStart = true;
  }
  if (!atRecordStart) records.push({ line: recordLine, fields });
  return { ok: true, records: records.filter((r) => !(r.fields.length === 1 && r.fields[0] === '')) };
}
