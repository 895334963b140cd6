/** A page as written in an exported markdown file. */
export interface ParsedPage {
  title: string;
  body: string;
  tags: string[];
  /** ISO timestamp from a `Created:` property, when it could be read. */
  createdAt?: string;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

// `\s*` then `\S` keeps the whitespace and the value disjoint, so a long run of spaces cannot
// be split between them in n ways (issue #10).
const PROPERTY_LINE = /^([A-Z][\w -]{0,40}):\s*(\S.*)?$/i;
const CREATED_KEYS = new Set(['created', 'created time', 'created at', 'date created']);
const TAG_KEYS = new Set(['tags', 'tag']);

/**
 * Notion writes dates like `January 5, 2024 3:14 PM` (or `January 5, 2024`); other tools ISO
 * 8601. Read as UTC: the export carries no time zone.
 */
export function parseExportDate(text: string): string | undefined {
  const value = text.trim();
  const iso =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
      value,
    );
  if (iso) {
    const ms = Date.parse(
      iso[7]
        ? value.replace(' ', 'T')
        : `${iso[1]}-${iso[2]}-${iso[3]}T${iso[4] ?? '00'}:${iso[5] ?? '00'}:${iso[6] ?? '00'}Z`,
    );
    return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
  }
  const notion = /^([A-Z]+)\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})\s*([AP]M)?)?$/i.exec(
    value,
  );
  if (!notion) return undefined;
  const month = MONTHS.indexOf(notion[1]!.toLowerCase());
  if (month < 0) return undefined;
  let hours = Number(notion[4] ?? 0);
  const minutes = Number(notion[5] ?? 0);
  const meridiem = notion[6]?.toLowerCase();
  if (meridiem === 'pm' && hours < 12) hours += 12;
  if (meridiem === 'am' && hours === 12) hours = 0;
  const day = Number(notion[2]);
  const date = new Date(Date.UTC(Number(notion[3]), month, day, hours, minutes));
  if (date.getUTCDate() !== day || hours > 23 || minutes > 59) return undefined;
  return date.toISOString();
}

const isSpace = (char: string | undefined) => char !== undefined && /^\s$/.test(char);
/** What `.` in a regex does not match: the line ends a split on `\n` can leave in a line. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The text of a `# Title` or `# Title ##` line, or undefined when the line is no such heading.
 * A linear scan from both ends: the regex it replaces (`/^#\s+(.+?)\s*#*\s*$/`) backtracked
 * cubically on a heading with a long run of spaces inside (issue #10). Degenerate lines read as
 * they did: `# #` is titled `#`, `#` and two spaces gives an empty title.
 */
function headingTitle(line: string): string | undefined {
  if (line[0] !== '#' || !isSpace(line[1])) return undefined;
  let start = 1;
  while (isSpace(line[start])) start++;
  let end = line.length;
  while (end > start && isSpace(line[end - 1])) end--;
  while (end > start && line[end - 1] === '#') end--;
  while (end > start && isSpace(line[end - 1])) end--;
  if (end > start) {
    const text = line.slice(start, end);
    return LINE_TERMINATOR.test(text) ? undefined : text;
  }
  // Nothing but a closing sequence: the old regex took its first `#` as the title.
  if (start < line.length) return line[start];
  // Only whitespace after `#`: a match needed some non-terminator after the first space.
  return [...line.slice(2)].some((char) => !LINE_TERMINATOR.test(char)) ? '' : undefined;
}

export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0 && t.length <= 100);
  return [...new Set(tags)];
}

/**
 * Reads a page: the leading `# Title` becomes the title, and a block of `Key: value` property
 * lines right after it gives `Created` and `Tags` (Notion's layout). Other property lines stay
 * in the body, so nothing the author wrote is lost.
 */
export function parseMarkdownPage(text: string, fallbackTitle: string): ParsedPage {
  const lines = text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .split('\n');
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  let title = fallbackTitle;
  const heading = headingTitle(lines[i] ?? '');
  if (heading !== undefined) {
    title = heading.trim();
    i++;
  }
  let j = i;
  while (j < lines.length && lines[j]!.trim() === '') j++;
  const block: { key: string; value: string; line: string }[] = [];
  while (j < lines.length) {
    const match = PROPERTY_LINE.exec(lines[j]!);
    if (!match) break;
    block.push({ key: match[1]!.trim().toLowerCase(), value: match[2] ?? '', line: lines[j]! });
    j++;
  }
  let tags: string[] = [];
  let createdAt: string | undefined;
  const kept: string[] = [];
  const isProperties =
    heading !== undefined && block.some((p) => CREATED_KEYS.has(p.key) || TAG_KEYS.has(p.key));
  if (isProperties) {
    for (const property of block) {
      const created = CREATED_KEYS.has(property.key) ? parseExportDate(property.value) : undefined;
      if (created && !createdAt) createdAt = created;
      else if (TAG_KEYS.has(property.key)) tags = parseTags(property.value);
      else kept.push(property.line);
    }
    i = j;
  }
  const rest = lines.slice(i);
  while (rest.length > 0 && rest[0]!.trim() === '') rest.shift();
  const body = [...kept, ...(kept.length ? [''] : []), ...rest].join('\n').trim();
  return { title: title.slice(0, 300), body, tags, ...(createdAt ? { createdAt } : {}) };
}
