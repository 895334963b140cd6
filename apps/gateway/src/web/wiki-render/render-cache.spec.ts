import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GatewayMetrics } from '../../gateway.metrics.js';
import {
  fillTemplate,
  parseMarkdown,
  renderParsed,
  renderTemplate,
  type RenderEnv,
} from '../markdown/markdown.js';
import { RenderCache } from './render-cache.js';

const IMAGE = '0190a6f0-1111-7000-8000-00000000000a';

const PAGES = [
  '# Title\n\nPlain *text* with a [link](https://example.com) and `code`.',
  'See [[Existing Page]], [[Missing|a label]] and [[existing page]] again.',
  `![A diagram](/api/v1/media/${IMAGE}) and ![outside](https://example.com/x.png "t")`,
  '- [ ] task\n- [x] done\n\n```\n[[Not a link]] \u0000 nul\n```\n\n> quote [[Existing Page]]',
  '<script>alert(1)</script> [[<b>odd</b>]] ![x](javascript:alert(1))',
  '',
];

const ENVS: RenderEnv[] = [
  {},
  {
    wikiTargets: new Map([['existing page', { slug: 'existing-page' }]]),
    media: new Map([[IMAGE, { width: 800, height: 600, thumbhash: null }]]),
  },
];

function metrics() {
  const registry = new Registry();
  return { registry, metrics: new GatewayMetrics(registry) };
}

async function lookups(registry: Registry): Promise<Record<string, number>> {
  const metric = await registry.getSingleMetric('lateral_render_cache_lookups_total')!.get();
  return Object.fromEntries(metric.values.map((v) => [String(v.labels.result), v.value]));
}

describe('render templates', () => {
  it.each(PAGES)('fill the same HTML as a direct render, for every reader (%#)', (page) => {
    const template = renderTemplate(parseMarkdown(page));
    for (const env of ENVS) {
      expect(fillTemplate(template, env)).toBe(renderParsed(parseMarkdown(page), env));
    }
  });

  it('leave a slot for each wiki link and each of our images, and list what to look up', () => {
    const template = renderTemplate(parseMarkdown(PAGES[1]! + '\n\n' + PAGES[2]!));
    expect(template.slots.map((s) => s.kind)).toEqual([
      'wikilink',
      'wikilink',
      'wikilink',
      'image',
    ]);
    expect(template.parts).toHaveLength(template.slots.length + 1);
    expect(template.wikiTargets).toEqual(['Existing Page', 'Missing']);
    expect(template.mediaIds).toEqual([IMAGE]);
  });
});

describe('RenderCache', () => {
  const template = (text: string) => renderTemplate(parseMarkdown(text));

  it('answers a page version it has, and counts hits and misses', async () => {
    const { registry, metrics: m } = metrics();
    const cache = new RenderCache(m);
    expect(cache.get({ id: 'a', version: 1 })).toBeUndefined();
    const stored = cache.set({ id: 'a', version: 1 }, template('one'));
    expect(cache.get({ id: 'a', version: 1 })).toBe(stored);
    expect(await lookups(registry)).toEqual({ miss: 1, hit: 1 });
  });

  it('never answers another version: a save makes the next view render again', () => {
    const cache = new RenderCache(metrics().metrics);
    cache.set({ id: 'a', version: 1 }, template('old text'));
    expect(cache.get({ id: 'a', version: 2 })).toBeUndefined();
    cache.set({ id: 'a', version: 2 }, template('new text'));
    // The older version is dropped when the newer one is stored.
    expect(cache.size).toBe(1);
    expect(fillTemplate(cache.get({ id: 'a', version: 2 })!, {})).toContain('new text');
    expect(cache.get({ id: 'a', version: 1 })).toBeUndefined();
  });

  it('stays within its entry and character budgets, least recently used out first', () => {
    const cache = new RenderCache(metrics().metrics, { maxEntries: 3, maxChars: 1000 });
    for (const id of ['a', 'b', 'c']) cache.set({ id, version: 1 }, template(id));
    cache.get({ id: 'a', version: 1 });
    cache.set({ id: 'd', version: 1 }, template('d'));
    expect(cache.size).toBe(3);
    expect(cache.get({ id: 'b', version: 1 })).toBeUndefined();
    expect(cache.get({ id: 'a', version: 1 })).toBeDefined();
    // 200 characters each: the budget of 1,000 holds at most 3 of those plus what is left.
    for (const id of ['e', 'f', 'g', 'h']) cache.set({ id, version: 1 }, template('x'.repeat(190)));
    expect(cache.size).toBeLessThanOrEqual(3);
    // A page that alone would take over a quarter of the budget is rendered but not kept.
    cache.set({ id: 'big', version: 1 }, template('y'.repeat(400)));
    expect(cache.get({ id: 'big', version: 1 })).toBeUndefined();
  });
});
