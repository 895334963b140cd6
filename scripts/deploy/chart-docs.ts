// The values tables of the charts' READMEs, generated from each chart's values.schema.json (key,
// type, description) and values.yaml (the default), between two marker comments; the prose
// around them is written by hand. verify:deploy fails when a table is out of date, when a value
// in the schema has no default in values.yaml, or when a value has no description.
//
//   npm run charts:docs            (rewrites the tables)
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { HELM_DIR } from './paths.js';

export const TABLE_START =
  '<!-- values-table:start: generated from values.schema.json and values.yaml by `npm run charts:docs` -->';
export const TABLE_END = '<!-- values-table:end -->';

interface Schema {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  $ref?: string;
  definitions?: Record<string, Schema>;
}

interface Row {
  key: string;
  type: string;
  default: string;
  description: string;
}

/** Charts with a values schema: each must have a README with a values table. */
export function documentedCharts(): string[] {
  return readdirSync(HELM_DIR)
    .map((d) => join(HELM_DIR, d))
    .filter((dir) => existsSync(join(dir, 'values.schema.json')));
}

function resolveRef(root: Schema, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/definitions/', '');
  const target = root.definitions?.[name];
  if (!target) throw new Error(`unresolved $ref ${schema.$ref}`);
  // The property's own description wins over the definition's.
  return { ...target, ...schema, $ref: undefined };
}

function typeOf(schema: Schema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  if (types.includes('array') && schema.items?.type) return `${String(schema.items.type)}[]`;
  return types.join(' | ');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, ' ');
}

function lookup(values: unknown, path: string[]): { found: boolean; value: unknown } {
  let current: unknown = values;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !(key in current))
      return { found: false, value: undefined };
    current = (current as Record<string, unknown>)[key];
  }
  return { found: true, value: current };
}

/**
 * One row per value: objects that close their keys (additionalProperties: false) are walked
 * into; maps and lists are one row with their whole default.
 */
export function valuesRows(chartDir: string): { rows: Row[]; problems: string[] } {
  const root = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8')) as Schema;
  const values = parse(readFileSync(join(chartDir, 'values.yaml'), 'utf8')) as unknown;
  const rows: Row[] = [];
  const problems: string[] = [];
  const walk = (schema: Schema, path: string[]): void => {
    for (const [key, raw] of Object.entries(schema.properties ?? {})) {
      const property = resolveRef(root, raw);
      const here = [...path, key];
      const name = here.join('.');
      // Helm's own keys for charts with dependencies, never set by hand.
      if (path.length === 0 && (key === 'global' || key === 'lateral-lib')) continue;
      const { found, value } = lookup(values, here);
      if (!found) {
        problems.push(`${name} has no default in values.yaml`);
        continue;
      }
      if (property.properties && property.additionalProperties === false) {
        walk(property, here);
        continue;
      }
      if (!property.description) problems.push(`${name} has no description in the schema`);
      rows.push({
        key: name,
        type: typeOf(property),
        default: JSON.stringify(value),
        description: property.description ?? '',
      });
    }
  };
  walk(root, []);
  return { rows, problems };
}

export function renderTable(rows: Row[]): string {
  return [
    '| key | type | default | description |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      (r) => `| \`${r.key}\` | ${cell(r.type)} | \`${cell(r.default)}\` | ${cell(r.description)} |`,
    ),
  ].join('\n');
}

/** The README with its values table regenerated; throws when the markers are missing. */
export function withTable(readme: string, table: string, file: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`${file}: no values table markers (${TABLE_START} ... ${TABLE_END})`);
  return `${readme.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/** Problems verify:deploy reports: stale or missing tables, undocumented or default-less values. */
export function chartDocsProblems(): string[] {
  const problems: string[] = [];
  for (const chart of documentedCharts()) {
    const file = join(chart, 'README.md');
    const { rows, problems: valueProblems } = valuesRows(chart);
    problems.push(...valueProblems.map((p) => `${chart.slice(HELM_DIR.length + 1)}: ${p}`));
    if (!existsSync(file)) {
      problems.push(`${file} is missing`);
      continue;
    }
    const current = readFileSync(file, 'utf8');
    try {
      if (withTable(current, renderTable(rows), file) !== current)
        problems.push(`${file}: values table is out of date: npm run charts:docs`);
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return problems;
}

if (process.argv.includes('--write')) {
  for (const chart of documentedCharts()) {
    const file = join(chart, 'README.md');
    const { rows, problems } = valuesRows(chart);
    for (const p of problems) console.error(`${chart}: ${p}`);
    writeFileSync(file, withTable(readFileSync(file, 'utf8'), renderTable(rows), file));
    console.log(`wrote the values table of ${file}`);
  }
}
