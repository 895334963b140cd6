import { Injectable } from '@nestjs/common';
import { raw, type SafeHtml } from '../html.js';
import { parseMarkdown, renderParsed } from '../markdown/markdown.js';
import { normalizeTitle } from '../markdown/wiki-links.js';
import { MediaInfoService } from './media-info.service.js';
import { slugify } from './slug.js';
import { NotesClient } from '../platform.js';

/** At most this many distinct `[[targets]]` are looked up per render; the rest show as links to create. */
const MAX_WIKI_LOOKUPS = 100;

/**
 * Markdown to safe HTML with what only the services know: which `[[Title]]` pages exist (and
 * their slugs) and the size and placeholder of each image.
 */
@Injectable()
export class WikiRenderService {
  constructor(
    private readonly notes: NotesClient,
    private readonly media: MediaInfoService,
  ) {}

  async render(markdown: string): Promise<SafeHtml> {
    const parsed = parseMarkdown(markdown);
    const [wikiTargets, media] = await Promise.all([
      this.resolveTargets(parsed.wikiTargets.slice(0, MAX_WIKI_LOOKUPS)),
      this.media.lookup(parsed.mediaIds),
    ]);
    // Trusted: markdown-it with html disabled and an allow-list for URLs (see xss.spec.ts).
    return raw(renderParsed(parsed, { wikiTargets, media }));
  }

  private async resolveTargets(titles: string[]): Promise<Map<string, { slug: string } | null>> {
    const entries = await Promise.all(
      titles.map(async (title): Promise<[string, { slug: string } | null]> => {
        const slug = slugify(title);
        if (!slug) return [normalizeTitle(title), null];
        try {
          const note = await this.notes.getNote(slug);
          return [normalizeTitle(title), { slug: note.slug }];
        } catch {
          return [normalizeTitle(title), null];
        }
      }),
    );
    return new Map(entries);
  }
}
