import { type NoteWithContext } from '@lateral/contracts';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { type SessionUser } from '../auth/current-user.js';
import { GatewayMetrics } from '../gateway.metrics.js';
import { PageViewCache, type PageViewCacheLimits } from './page-view-cache.js';

const ADA: SessionUser = { id: 'ada', name: 'Ada', role: 'editor' };
const GRACE: SessionUser = { id: 'grace', name: 'Grace', role: 'editor' };
const PAGE = '0190a6f0-1111-7000-8000-00000000000a';
const LINKING = '0190a6f0-1111-7000-8000-00000000000b';

function aView(id = PAGE, slug = 'runbook', body = 'Body.', backlinks: string[] = []) {
  return {
    id,
    slug,
    title: slug,
    body,
    tags: [],
    version: 1,
    backlinks: { items: backlinks.map((b) => ({ id: b, slug: b })), nextCursor: null },
  } as unknown as NoteWithContext;
}

function cache(limits: Partial<PageViewCacheLimits> = {}, now = () => 0) {
  const views = new PageViewCache(
    new GatewayMetrics(new Registry()),
    { maxEntries: 100, maxChars: 1_000_000, maxAgeMs: 60_000, ...limits },
    now,
  );
  views.start();
  return views;
}

function stored(views: PageViewCache, who = ADA, key = 'runbook', view = aView()) {
  views.set(who, key, view, views.begin());
  return view;
}

describe('PageViewCache', () => {
  it('keeps nothing before the feed is followed, and drops everything when it stops', () => {
    const views = new PageViewCache(new GatewayMetrics(new Registry()));
    expect(views.begin()).toBeUndefined();
    views.set(ADA, 'runbook', aView(), 0);
    expect(views.get(ADA, 'runbook')).toBeUndefined();
    views.start();
    stored(views);
    expect(views.get(ADA, 'runbook')?.id).toBe(PAGE);
    views.stop();
    expect(views.get(ADA, 'runbook')).toBeUndefined();
    expect(views.size).toBe(0);
  });

  it('keeps views per person and key, frozen', () => {
    const views = cache();
    const view = stored(views);
    expect(views.get(GRACE, 'runbook')).toBeUndefined();
    expect(views.get({ ...ADA, role: 'admin' }, 'runbook')).toBeUndefined();
    expect(views.get(ADA, PAGE)).toBeUndefined();
    expect(Object.isFrozen(view) && Object.isFrozen(view.backlinks?.items[0])).toBe(true);
  });

  it('drops the views of a changed page and of pages showing it among their backlinks', () => {
    const views = cache();
    stored(views, ADA, 'runbook', aView(PAGE, 'runbook', 'Body.', [LINKING]));
    stored(views, ADA, 'other', aView(LINKING, 'other'));
    stored(views, GRACE, 'runbook', aView(PAGE, 'runbook', 'Body.', [LINKING]));
    views.pageChanged(LINKING);
    expect(views.size).toBe(0);
  });

  it('drops a page this gateway saved, by id or slug, and everything for any other write', () => {
    const views = cache();
    stored(views, ADA, PAGE);
    stored(views, GRACE, 'runbook');
    views.wrote('PUT', `/api/v1/notes/${PAGE}`);
    expect(views.size).toBe(0);
    stored(views, ADA, PAGE);
    views.wrote('PUT', '/api/v1/notes/runbook?x=1');
    expect(views.get(ADA, PAGE)).toBeUndefined();
    stored(views);
    views.wrote('PUT', `/api/v1/notes/${PAGE}/draft`);
    views.wrote('POST', '/api/v1/media-references');
    expect(views.size).toBe(1);
    views.wrote('POST', `/api/v1/notes/${PAGE}/move`);
    expect(views.size).toBe(0);
  });

  it('does not keep a view fetched while a change to it happened (it may predate it)', () => {
    const views = cache();
    const token = views.begin();
    views.pageChanged(PAGE);
    views.set(ADA, 'runbook', aView(), token);
    expect(views.get(ADA, 'runbook')).toBeUndefined();

    // A change to another page does not matter; "all" does.
    const next = views.begin();
    views.pageChanged('0190a6f0-1111-7000-8000-0000000000ff');
    views.set(ADA, 'runbook', aView(), next);
    expect(views.get(ADA, 'runbook')).toBeDefined();
    const last = views.begin();
    views.allChanged();
    views.set(ADA, 'runbook', aView(), last);
    expect(views.get(ADA, 'runbook')).toBeUndefined();
  });

  it('does not keep a view when more changes came during its fetch than it remembers', () => {
    const views = cache();
    const token = views.begin();
    for (let i = 0; i < 2000; i++) views.pageChanged(`other-${i}`);
    views.set(ADA, 'runbook', aView(), token);
    expect(views.get(ADA, 'runbook')).toBeUndefined();
  });

  it('is bounded by entries, characters and age, least recently used out first', () => {
    let now = 0;
    const views = cache({ maxEntries: 2, maxChars: 2_000, maxAgeMs: 1_000 }, () => now);
    stored(views, ADA, 'a', aView(PAGE, 'a'));
    stored(views, ADA, 'b', aView(LINKING, 'b'));
    views.get(ADA, 'a');
    stored(views, ADA, 'c', aView('c-id', 'c'));
    expect(views.get(ADA, 'b')).toBeUndefined();
    expect(views.get(ADA, 'a')).toBeDefined();
    stored(views, ADA, 'big', aView('big-id', 'big', 'x'.repeat(3_000)));
    expect(views.get(ADA, 'big')).toBeUndefined();
    now = 1_001;
    expect(views.get(ADA, 'a')).toBeUndefined();
  });
});
