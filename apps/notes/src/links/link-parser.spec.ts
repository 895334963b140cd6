import { describe, expect, it } from 'vitest';
import { parseLinks } from './link-parser.js';

const uuid = '3f2b8c1e-9a4d-4e8f-b0c1-2d3e4f5a6b7c';

describe('parseLinks', () => {
  it('finds wiki links by the slug of their title, with or without a label', () => {
    const links = parseLinks(
      'See [[Deploy Guide]] and [[Café Menu|the menu]], twice: [[deploy guide]].',
    );
    expect(links.slugs.sort()).toEqual(['cafe-menu', 'deploy-guide']);
    expect(links.ids).toEqual([]);
  });

  it('finds page URLs, relative and absolute, in markdown links and bare', () => {
    const body = [
      'Read [the runbook](/notes/on-call-runbook#paging).',
      'Or https://wiki.example.com/notes/incident-review?tab=1 and <http://localhost:8080/notes/faq>',
      '/notes/start-of-line is a link too',
    ].join('\n');
    expect(parseLinks(body).slugs.sort()).toEqual([
      'faq',
      'incident-review',
      'on-call-runbook',
      'start-of-line',
    ]);
  });

  it('finds API URLs by id or by slug', () => {
    const links = parseLinks(`[a](/api/v1/notes/${uuid}) and [b](/api/v1/notes/team-handbook)`);
    expect(links.ids).toEqual([uuid]);
    expect(links.slugs).toEqual(['team-handbook']);
  });

  it('ignores links shown as code', () => {
    const body = [
      'Use `[[Not A Link]]` like this:',
      '```md',
      '[[Also Not]] /notes/nope',
      '```',
      '[[Real]]',
    ].join('\n');
    expect(parseLinks(body)).toEqual({ slugs: ['real'], ids: [] });
  });

  it('ignores look-alikes: other paths, empty or broken wiki links', () => {
    const body = 'mynotes/x, /notesy/y, [[ ]], [[a\nb]], [[ok';
    expect(parseLinks(body)).toEqual({ slugs: [], ids: [] });
  });

  it('skips titles that slug to nothing and over-long targets', () => {
    expect(parseLinks(`[[!!!]] [[${'x'.repeat(201)}]]`).slugs).toEqual([]);
  });
});
