/**
 * A small streaming XML reader for checking SAF-T files: it turns text, fed in chunks of any size, into
 * open, close and text events, so a file of any size is read with constant memory. It handles what well-formed
 * XML files contain (declaration, processing instructions, comments, CDATA, a DOCTYPE without an internal
 * subset, attributes, self-closing tags, the five named entities and character references) and reports the first
 * thing that is not well-formed with its line. Element names are reported without their prefix.
 */
export type XmlEvent =
  | { readonly type: 'open'; readonly name: string; readonly attributes: Readonly<Record<string, string>>; readonly line: number }
  | { readonly type: 'close'; readonly name: string; readonly line: number }
  | { readonly type: 'text'; readonly text: string; readonly line: number };

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

const ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

export function decodeEntities(text: string, line: number): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new XmlSyntaxError(`"&" must start an entity such as &amp; (found "${whole}")`, line);
    if (name.startsWith('#x')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    const named = ENTITIES[name];
    if (named === undefined) throw new XmlSyntaxError(`unknown entity &${name};`, line);
    return named;
  });
}

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

function parseAttributes(text: string, line: number): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g;
  let m: RegExpExecArray | null;
  let consumed = '';
  while ((m = re.exec(text)) !== null) {
    out[m[1] ?? ''] = decodeEntities(m[3] ?? m[4] ?? '', line);
    consumed += m[0];
  }
  if (text.replace(/\s+/g, '').length !== consumed.replace(/\s+/g, '').length) throw new XmlSyntaxError(`malformed attributes "${text.trim()}"`, line);
  return out;
}

export class XmlReader {
  private rest = '';
  private line = 1;
  private readonly stack: string[] = [];
  private rootClosed = false;

  constructor(private readonly emit: (event: XmlEvent) => void) {}

  feed(chunk: string): void {
    this.rest += chunk;
    this.drain(false);
  }

  /** Call after the last chunk: anything left open is an error. */
  end(): void {
    this.drain(true);
    if (this.rest.trim() !== '') throw new XmlSyntaxError('the file ends inside markup', this.line);
    if (this.stack.length > 0) throw new XmlSyntaxError(`the file ends before </${this.stack.at(-1) ?? ''}>`, this.line);
    if (!this.rootClosed) throw new XmlSyntaxError('the file has no root element', this.line);
  }

  private count(text: string): void {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.line++;
  }

  private drain(final: boolean): void {
    let pos = 0;
    const s = this.rest;
    for (;;) {
      const lt = s.indexOf('<', pos);
      const textEnd = lt === -1 ? s.length : lt;
      if (textEnd > pos) {
        // Text up to the next tag; when no tag follows yet, keep it for the next chunk (an entity may be cut).
        if (lt === -1 && !final) break;
        const raw = s.slice(pos, textEnd);
        if (raw.trim() !== '') {
          if (this.stack.length === 0) throw new XmlSyntaxError('text outside the root element', this.line);
          this.emit({ type: 'text', text: decodeEntities(raw, this.line), line: this.line });
        }
        this.count(raw);
        pos = textEnd;
      }
      if (lt === -1) break;
      const end = this.markupEnd(s, lt);
      if (end === -1) break;
      this.markup(s.slice(lt, end));
      pos = end;
    }
    this.rest = s.slice(pos);
  }

  /** The index just past the markup starting at `lt`, or -1 when it is not complete yet. */
  private markupEnd(s: string, lt: number): number {
    const closer = s.startsWith('<!--', lt) ? '-->' : s.startsWith('<![CDATA[', lt) ? ']]>' : s.startsWith('<?', lt) ? '?>' : '>';
    if (closer === '>') {
      // A ">" inside a quoted attribute value does not end the tag.
      let quote: string | undefined;
      for (let i = lt + 1; i < s.length; i++) {
        const ch = s[i];
        if (quote !== undefined) {
          if (ch === quote) quote = undefined;
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '>') return i + 1;
      }
      return -1;
    }
    const i = s.indexOf(closer, lt + 2);
    return i === -1 ? -1 : i + closer.length;
  }

  private markup(m: string): void {
    const line = this.line;
    this.count(m);
    if (m.startsWith('<!--') || m.startsWith('<?')) return;
    if (m.startsWith('<![CDATA[')) {
      if (this.stack.length === 0) throw new XmlSyntaxError('CDATA outside the root element', line);
      this.emit({ type: 'text', text: m.slice(9, -3), line });
      return;
    }
    if (m.startsWith('<!')) {
      if (m.includes('[')) throw new XmlSyntaxError('a DOCTYPE with an internal subset is not accepted', line);
      return;
    }
    if (m.startsWith('</')) {
      const name = localName(m.slice(2, -1).trim());
      const open = this.stack.pop();
      if (open !== name) throw new XmlSyntaxError(open === undefined ? `</${name}> closes nothing` : `</${name}> where </${open}> was expected`, line);
      if (this.stack.length === 0) this.rootClosed = true;
      this.emit({ type: 'close', name, line });
      return;
    }
    const selfClosing = m.endsWith('/>');
    const body = m.slice(1, selfClosing ? -2 : -1);
    const nameMatch = /^[^\s/>]+/.exec(body);
    if (!nameMatch) throw new XmlSyntaxError(`malformed tag ${m.slice(0, 40)}`, line);
    if (this.rootClosed || (this.stack.length === 0 && this.seenRoot)) throw new XmlSyntaxError('a second root element', line);
    this.seenRoot = true;
    const name = localName(nameMatch[0]);
    this.emit({ type: 'open', name, attributes: parseAttributes(body.slice(nameMatch[0].length), line), line });
    if (selfClosing) {
      this.emit({ type: 'close', name, line });
      if (this.stack.length === 0) this.rootClosed = true;
    } else this.stack.push(name);
  }

  private seenRoot = false;
}
