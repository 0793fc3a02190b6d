/**
 * XML output escaping and a small, strict XML reader for imports.
 *
 * The reader is deliberately minimal: no DTD, no entities beyond the five predefined ones and
 * character references, no external anything. A <!DOCTYPE> or <!ENTITY> is refused outright, which
 * makes entity-expansion attacks ("billion laughs") and external entity fetches impossible.
 */
import { ImportError } from './errors.js';

// Characters XML 1.0 forbids (C0 controls except tab/LF/CR, U+FFFE/U+FFFF, lone surrogates).
// Lone surrogates are matched by the two lookaround alternatives.
const INVALID_XML_CHARS =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that cannot appear in an XML 1.0 document, even as character references. */
export function stripInvalidXmlChars(s: string): string {
  return s.replace(INVALID_XML_CHARS, '');
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;', // a literal CR would be normalised to LF by every parser
};
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\n': '&#10;', '\t': '&#9;' };

/** Escapes character data (all five specials, so the text is safe in any context). */
export function escapeText(s: string): string {
  return stripInvalidXmlChars(s).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes an attribute value; also keeps tabs and newlines, which attribute normalisation would eat. */
export function escapeAttr(s: string): string {
  return stripInvalidXmlChars(s).replace(/[&<>"'\r\n\t]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

/** True when whitespace in `s` would be lost or altered by a consumer that collapses it. */
export function needsPreserve(s: string): boolean {
  return /^\s|\s$|\s\s|[\t\n\r]/.test(s);
}

// ───────────────────────────── reader ─────────────────────────────

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** 1-based line where the element starts, for error messages. */
  line: number;
}
export type XmlNode = XmlElement | string;

/** Deepest element nesting the reader accepts. */
export const MAX_DEPTH = 512;

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;

/**
 * Parses a whole XML document into an element tree. Throws ImportError on anything that is not
 * well-formed, on any DTD, and on undeclared entities.
 */
export function parseXml(
  input: string,
  what = 'XML',
  /**
   * Called as each element closes; returning true drops it from its parent (the caller has taken
   * what it needs), so large files are read without keeping the whole tree.
   */
  onClose?: (el: XmlElement, depth: number) => boolean,
): XmlElement {
  // End-of-line handling (XML 1.0 §2.11): CRLF and lone CR are read as LF before parsing, so a file
  // saved with Windows line ends imports the same text; a CR written as &#13; is still a CR.
  const src = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  let pos = 0;
  const n = src.length;
  let line = 1;
  const lineAt = (p: number): number => {
    // Counted lazily: only error paths and element starts need it.
    for (let i = lineScan; i < p; i++) if (src.charCodeAt(i) === 10) line++;
    lineScan = Math.max(lineScan, p);
    return line;
  };
  let lineScan = 0;
  const fail = (msg: string, at = pos): never => {
    throw new ImportError(`${what} is not well-formed at line ${lineAt(at)}: ${msg}`, 'malformed');
  };

  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  const decode = (raw: string, at: number): string => {
    if (!raw.includes('&')) return raw;
    return raw.replace(/&([^;&]*);?/g, (m, body: string) => {
      if (!m.endsWith(';')) fail('an "&" that does not start an entity or character reference', at);
      switch (body) {
        case 'amp': return '&';
        case 'lt': return '<';
        case 'gt': return '>';
        case 'quot': return '"';
        case 'apos': return "'";
      }
      const num = /^#x([0-9a-fA-F]+)$/.exec(body) ?? /^#([0-9]+)$/.exec(body);
      if (num?.[1] !== undefined) {
        const cp = parseInt(num[1], body.startsWith('#x') ? 16 : 10);
        const ok = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
        if (!ok) fail(`character reference &${body}; is not an allowed XML character`, at);
        return String.fromCodePoint(cp);
      }
      return fail(`undeclared entity &${body}; (entities are not supported)`, at);
    });
  };

  const addText = (t: string): void => {
    if (t === '') return;
    const top = stack[stack.length - 1];
    if (!top) {
      if (/[^ \t\r\n]/.test(t)) fail('text outside the root element');
      return;
    }
    const last = top.children[top.children.length - 1];
    if (typeof last === 'string') top.children[top.children.length - 1] = last + t;
    else top.children.push(t);
  };

  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(src);
    if (!m) return fail('expected a name');
    pos += m[0].length;
    return m[0];
  };
  const skipWs = (): boolean => {
    const start = pos;
    while (pos < n) {
      const c = src.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
    return pos > start;
  };

  while (pos < n) {
    const lt = src.indexOf('<', pos);
    if (lt === -1) {
      addText(checkChars(decode(src.slice(pos), pos)));
      pos = n;
      break;
    }
    if (lt > pos) {
      const raw = src.slice(pos, lt);
      if (raw.includes(']]>')) fail('"]]>" in text');
      addText(checkChars(decode(raw, pos)));
    }
    pos = lt;
    if (src.startsWith('<?', pos)) {
      const end = src.indexOf('?>', pos);
      if (end === -1) fail('unterminated processing instruction');
      pos = end + 2;
      continue;
    }
    if (src.startsWith('<!--', pos)) {
      const end = src.indexOf('-->', pos + 4);
      if (end === -1) fail('unterminated comment');
      pos = end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', pos)) {
      if (!stack.length) fail('CDATA outside the root element');
      const end = src.indexOf(']]>', pos + 9);
      if (end === -1) fail('unterminated CDATA section');
      addText(checkChars(src.slice(pos + 9, end)));
      pos = end + 3;
      continue;
    }
    if (src.startsWith('<!', pos)) {
      const kw = /^<!([A-Z]+)/.exec(src.slice(pos, pos + 12))?.[1] ?? '';
      throw new ImportError(
        `${what} contains <!${kw || '…'}> at line ${lineAt(pos)}: document type declarations and entity definitions are refused (no DTD or entity processing)`,
        'dtd',
      );
    }
    if (src.startsWith('</', pos)) {
      pos += 2;
      const name = readName();
      skipWs();
      if (src[pos] !== '>') fail(`expected ">" to close </${name}`);
      pos++;
      const top = stack.pop();
      if (!top) fail(`closing tag </${name}> without an open element`);
      else if (top.name !== name) fail(`closing tag </${name}> does not match <${top.name}> opened at line ${top.line}`);
      else closed(top);
      continue;
    }
    // Start tag.
    const start = pos;
    pos++;
    const name = readName();
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = skipWs();
      const c = src[pos];
      if (c === '>' || c === '/') break;
      if (c === undefined) fail(`unterminated tag <${name}`);
      if (!ws) fail(`expected whitespace between attributes in <${name}>`);
      const an = readName();
      skipWs();
      if (src[pos] !== '=') fail(`attribute ${an} without a value`);
      pos++;
      skipWs();
      const q = src[pos];
      if (q !== '"' && q !== "'") fail(`attribute ${an} value is not quoted`);
      const close = src.indexOf(q as string, pos + 1);
      if (close === -1) fail(`unterminated attribute ${an}`);
      const raw = src.slice(pos + 1, close);
      if (raw.includes('<')) fail(`"<" in the value of attribute ${an}`);
      if (Object.hasOwn(attrs, an)) fail(`duplicate attribute ${an}`);
      // Attribute-value normalisation: literal whitespace → space, then references decoded.
      attrs[an] = checkChars(decode(raw.replace(/[\t\n\r]/g, ' '), pos));
      pos = close + 1;
    }
    const el: XmlElement = { name, attrs, children: [], line: lineAt(start) };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else if (root) fail('more than one root element');
    else root = el;
    if (src[pos] === '/') {
      pos++;
      if (src[pos] !== '>') fail(`expected "/>" in <${name}`);
      pos++;
      closed(el);
    } else {
      pos++;
      stack.push(el);
      // Real TMX/XLIFF nest a dozen levels; thousands are an attack on the recursive readers below.
      if (stack.length > MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH} levels`, start);
    }
  }
  const open = stack[stack.length - 1];
  if (open) fail(`<${open.name}> opened at line ${open.line} is never closed`, n);
  if (!root) return fail('no root element', n);
  return root;

  function closed(el: XmlElement): void {
    if (!onClose?.(el, stack.length)) return;
    const parent = stack[stack.length - 1];
    if (parent && parent.children[parent.children.length - 1] === el) parent.children.pop();
  }

  function checkChars(s: string): string {
    INVALID_XML_CHARS.lastIndex = 0;
    if (INVALID_XML_CHARS.test(s)) {
      INVALID_XML_CHARS.lastIndex = 0;
      fail('a character that XML does not allow (control character)');
    }
    INVALID_XML_CHARS.lastIndex = 0;
    return s;
  }
}

/** Child elements of `el`, optionally only those named `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** All text inside `el`, skipping the content of elements named in `skip`. */
export function textContent(el: XmlElement, skip: ReadonlySet<string> = new Set()): string {
  let s = '';
  for (const c of el.children) {
    if (typeof c === 'string') s += c;
    else if (!skip.has(c.name)) s += textContent(c, skip);
  }
  return s;
}
