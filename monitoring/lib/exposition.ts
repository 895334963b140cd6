/** One scrape of a /metrics endpoint (Prometheus text format 0.0.4), reduced to what checks need. */
export interface Scrape {
  /** Families declared with `# TYPE`. */
  families: Map<string, string>;
  /** Sample name → the label names seen on its samples. */
  samples: Map<string, Set<string>>;
}

const SAMPLE = /^([a-z_:][\w:]*)(?:\{(.*)\})?\s+\S+/i;

export function parseExposition(text: string): Scrape {
  const families = new Map<string, string>();
  const samples = new Map<string, Set<string>>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      families.set(type[1] as string, type[2] as string);
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const name = sample[1] as string;
    const labels = samples.get(name) ?? new Set<string>();
    // eslint-disable-next-line regexp/no-super-linear-move -- one sample's label set from our own /metrics, well under 1 KB
    for (const m of (sample[2] ?? '').matchAll(/([a-z_]\w*)="/gi)) labels.add(m[1] as string);
    samples.set(name, labels);
  }
  return { families, samples };
}

/** `foo_bucket` of histogram `foo` is declared as `foo`. */
export function isDeclared(scrape: Scrape, series: string): boolean {
  if (scrape.families.has(series)) return true;
  const base = series.replace(/_(?:bucket|sum|count)$/, '');
  return base !== series && scrape.families.get(base) === 'histogram';
}
