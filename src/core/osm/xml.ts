/**
 * A tolerant XML tag scanner for OSM XML: one pass, linear time, no regular-expression backtracking. Every start or
 * end tag is handed to `onTag` with its attributes; a tag whose markup is broken (unclosed quote, `<` inside a tag,
 * garbage between attributes, a bad character reference, a duplicate attribute, end of file inside a tag) comes
 * with a `problem` and scanning resumes at the next `<` or after the next `>`, so one broken tag never swallows
 * the elements after it. Comments, CDATA, processing instructions and the DOCTYPE are skipped; text is ignored.
 */
import type { Problem } from './malformed';

export interface XmlTag {
  /** Element name ('' for a stray `<` that starts no tag). */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Record<string, string>;
  /** Offset of the tag's `<`. */
  start: number;
  problem?: Problem;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** A code point XML allows in a character reference. */
const xmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

/** Attribute value with its references decoded, or null when an `&` starts no valid reference. */
export function decodeXmlText(s: string): string | null {
  if (s.indexOf('&') < 0) return s;
  let bad = false;
  const out = s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z]+)?;?/g, (m, e: string | undefined) => {
    if (!e || !m.endsWith(';')) { bad = true; return m; }
    if (e[0] !== '#') {
      const v = ENTITY[e];
      if (v === undefined) bad = true;
      return v ?? m;
    }
    const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    if (!xmlChar(code)) { bad = true; return m; }
    return String.fromCodePoint(code);
  });
  return bad ? null : out;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isNameStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a;
const isNameChar = (c: number) => isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;

const P = {
  eof: { zh: '标签在文件结尾处未结束', en: 'tag not closed before the end of the file' },
  lt: { zh: '标签未以 > 结束', en: 'tag not closed with >' },
  garbage: { zh: '属性格式错误', en: 'malformed attribute' },
  quote: { zh: '属性值的引号未闭合', en: 'unclosed quote in an attribute value' },
  entity: { zh: '属性值中有无效的字符引用（&…;）', en: 'invalid character reference (&…;) in an attribute value' },
  dup: { zh: '属性重复', en: 'duplicate attribute' },
  stray: { zh: '多余的 <', en: 'stray <' },
} satisfies Record<string, Problem>;

/**
 * The sticky expressions of one scan (made per scan: a RegExp's lastIndex is state): a well-formed attribute
 * (values stop at `<`, which XML forbids in them) and the start of one whose quoted value never closes.
 */
const patterns = () => ({
  attribute: /[ \t\r\n]*([A-Za-z_:][\w:.-]*)[ \t\r\n]*=[ \t\r\n]*(?:"([^"<]*)"|'([^'<]*)')/y,
  unclosed: /[ \t\r\n]*[A-Za-z_:][\w:.-]*[ \t\r\n]*=[ \t\r\n]*["']/y,
});

/** After broken markup: resume at the next `<`, or just after the next `>` when that comes first. */
function recover(text: string, from: number, tag: XmlTag): number {
  const n = text.length;
  let i = from;
  while (i < n && text.charCodeAt(i) !== 0x3e && text.charCodeAt(i) !== 0x3c) i++;
  if (i < n && text.charCodeAt(i) === 0x3e) {
    tag.selfClosing = text.charCodeAt(i - 1) === 0x2f;
    return i + 1;
  }
  return i;
}

/** The end of a tag after its name or attributes: `>`, `/>`, or a problem. Returns where scanning goes on. */
function endOfTag(text: string, q: number, tag: XmlTag): number {
  const n = text.length;
  while (q < n && isSpace(text.charCodeAt(q))) q++;
  const c = text.charCodeAt(q);
  if (q >= n) { tag.problem ??= P.eof; return n; }
  if (c === 0x3e /* > */) return q + 1;
  if (c === 0x2f && text.charCodeAt(q + 1) === 0x3e) { tag.selfClosing = true; return q + 2; }
  if (c === 0x3c /* < */) { tag.problem ??= P.lt; return q; }
  tag.problem ??= P.garbage;
  return recover(text, q, tag);
}

/** Reads the attributes of a start tag from `q` into `tag`. Returns where scanning goes on. */
function attributes(text: string, q: number, tag: XmlTag, re: ReturnType<typeof patterns>): number {
  const n = text.length;
  for (;;) {
    re.attribute.lastIndex = q;
    const m = re.attribute.exec(text);
    if (!m) {
      re.unclosed.lastIndex = q;
      if (!re.unclosed.test(text)) return endOfTag(text, q, tag);
      // an unclosed quote: the tag ends where the next tag begins
      tag.problem ??= P.quote;
      let i = re.unclosed.lastIndex;
      while (i < n && text.charCodeAt(i) !== 0x3c) i++;
      return i;
    }
    const raw = m[2] ?? m[3];
    const value = decodeXmlText(raw);
    if (value === null) tag.problem ??= P.entity;
    if (tag.attrs[m[1]] !== undefined) tag.problem ??= P.dup;
    else tag.attrs[m[1]] = value ?? '';
    q = re.attribute.lastIndex;
    const after = text.charCodeAt(q);
    if (q < n && !isSpace(after) && after !== 0x3e && after !== 0x2f) tag.problem ??= P.garbage;
  }
}

/** Scans `text`, calling `onTag` for every start and end tag in order. Returns the offset where scanning ended. */
export function scanXml(text: string, onTag: (t: XmlTag) => void): number {
  const n = text.length;
  const re = patterns();
  let p = 0;
  for (;;) {
    const lt = text.indexOf('<', p);
    if (lt < 0) return n;
    const c1 = text.charCodeAt(lt + 1);
    if (c1 === 0x21 /* ! */ || c1 === 0x3f /* ? */) {
      const [open, close] = text.startsWith('<!--', lt) ? ['<!--', '-->'] : text.startsWith('<![CDATA[', lt) ? ['<![CDATA[', ']]>'] : c1 === 0x3f ? ['<?', '?>'] : ['<!', '>'];
      const end = text.indexOf(close, lt + open.length);
      if (end < 0) return n;
      p = end + close.length;
      continue;
    }
    let q = lt + 1;
    const closing = c1 === 0x2f;
    if (closing) q++;
    const nameFrom = q;
    if (isNameStart(text.charCodeAt(q))) while (q < n && isNameChar(text.charCodeAt(q))) q++;
    const tag: XmlTag = { name: text.slice(nameFrom, q), closing, selfClosing: false, attrs: Object.create(null) as Record<string, string>, start: lt };
    if (!tag.name) {
      tag.problem = P.stray;
      onTag(tag);
      p = q;
      continue;
    }
    q = closing ? endOfTag(text, q, tag) : attributes(text, q, tag, re);
    onTag(tag);
    p = q;
  }
}
