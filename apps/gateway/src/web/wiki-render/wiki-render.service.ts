import { Injectable } from '@nestjs/common';
import { slugify } from '@lateral/contracts';
import { type SafeHtml } from '../html.js';
import { normalizeTitle } from '../markdown/wiki-links.js';
import { TextWorkService } from '../text-work/text-work.service.js';
import { MediaInfoService } from './media-info.service.js';
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
    private readonly text: TextWorkService,
  ) {}

  async render(markdown: string): Promise<SafeHtml> {
    // Trusted: markdown-it with html disabled and an allow-list for URLs (see xss.spec.ts).
    return this.text.markdown(markdown, async (found) => {
      const [wikiTargets, media] = await Promise.all([
        this.resolveTargets(found.wikiTargets.slice(0, MAX_WIKI_LOOKUPS)),
        this.media.lookup(found.mediaIds),
      ]);
      return { wikiTargets, media };
    });
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
