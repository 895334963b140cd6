/**
 * Just enough PromQL reading for the contract checks: which metric names and which label names
 * an expression uses. Not a parser; it strips what cannot be a metric name (strings, matchers,
 * ranges, grouping clauses, Grafana variables) and keeps identifiers not called as functions.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'atan2',
]);

const GROUPING = /\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g;
const IDENTIFIER = /(?<![\w.:])[a-z_:][\w:]*/gi;

function stripStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
}

/** Metric names an expression reads (`foo_bucket` stays `foo_bucket`). */
export function metricNames(expr: string): Set<string> {
  // Grafana's variable queries: label_values(metric{...}, label) names a metric, then a label.
  const labelValues = /label_values\(\s*([a-zA-Z_:][\w:]*)/.exec(expr);
  if (labelValues) return new Set([labelValues[1] as string]);
  if (/^\s*label_values\(/.test(expr)) return new Set();

  const stripped = stripStrings(expr)
    // eslint-disable-next-line regexp/no-super-linear-move -- a PromQL expression from our own dashboards or rules, well under 1 KB
    .replace(/\{[^}]*\}/g, ' ')
    // eslint-disable-next-line regexp/no-super-linear-move -- as above
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(GROUPING, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(IDENTIFIER)) {
    const name = match[0];
    if (KEYWORDS.has(name)) continue;
    const rest = stripped.slice((match.index ?? 0) + name.length);
    if (/^\s*\(/.test(rest)) continue; // a function or an aggregation
    names.add(name);
  }
  return names;
}

/** Each `metric{...}` selector's metric name and the label names it matches on. */
export function selectors(expr: string): { metric: string; labels: string[] }[] {
  const found: { metric: string; labels: string[] }[] = [];
  const pattern = /(?<![\w.:])([a-z_:][\w:]*)\s*\{([^}]*)\}/gi;
  for (const match of expr.matchAll(pattern)) {
    // eslint-disable-next-line regexp/no-super-linear-move -- one selector's matchers from our own dashboards or rules, well under 1 KB
    const labels = [...(match[2] ?? '').matchAll(/([a-z_]\w*)\s*(?:=~|!~|!=|=)/gi)].map(
      (m) => m[1] as string,
    );
    found.push({ metric: match[1] as string, labels });
  }
  return found;
}

/** Label names in `by (...)`, `on (...)` and similar clauses. */
export function groupingLabels(expr: string): string[] {
  const labels: string[] = [];
  for (const match of stripStrings(expr).matchAll(GROUPING)) {
    for (const label of (match[1] ?? '').split(',')) if (label.trim()) labels.push(label.trim());
  }
  return labels;
}
