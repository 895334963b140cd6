import { Injectable } from '@nestjs/common';
import { slugify, type LinkTarget } from '@lateral/contracts';
import { type SafeHtml } from '../html.js';
import { normalizeTitle } from '../markdown/wiki-links.js';
import { TextWorkService } from '../text-work/text-work.service.js';
import { MediaInfoService } from './media-info.service.js';
import { GatewayMetrics, NotesClient } from '../platform.js';
import { RenderCache } from './render-cache.js';

/** At most this many distinct `[[targets]]` are looked up per render; the rest show as links to create. */
const MAX_WIKI_LOOKUPS = 100;

/**
 * Markdown to safe HTML with what only the services know: which `[[Title]]` pages exist (and
 * their slugs) and the size and placeholder of each image.
 */
@Injectable()
export class WikiRenderService {
  private readonly cache: RenderCache;

  constructor(
    private readonly notes: NotesClient,
    private readonly media: MediaInfoService,
    private readonly text: TextWorkService,
    metrics: GatewayMetrics,
  ) {
    this.cache = new RenderCache(metrics);
  }

  /**
   * `page`: the id and version notes just answered for this markdown, when it is a page as
   * saved (not a preview or an old revision); its rendering is then cached (RenderCache), and
   * its `links` (`include=links`), when notes sent them, say where its wiki links lead without a
   * lookup per link.
   */
  async render(
    markdown: string,
    page?: { id: string; version: number; links?: LinkTarget[] },
  ): Promise<SafeHtml> {
    const known = page?.links && new Map(page.links.map((link) => [link.target, link.slug]));
    // Trusted: markdown-it with html disabled and an allow-list for URLs (see xss.spec.ts).
    return this.text.markdown(
      markdown,
      async (found) => {
        const [wikiTargets, media] = await Promise.all([
          this.resolveTargets(found.wikiTargets.slice(0, MAX_WIKI_LOOKUPS), known),
          this.media.lookup(found.mediaIds),
        ]);
        return { wikiTargets, media };
      },
      page && {
        get: () => this.cache.get(page),
        set: (template) => this.cache.set(page, template),
      },
    );
  }

  /** `known`: target slug → where it leads (null: nowhere), as notes answered with the page. */
  private async resolveTargets(
    titles: string[],
    known?: Map<string, string | null>,
  ): Promise<Map<string, { slug: string } | null>> {
    const entries = await Promise.all(
      titles.map(async (title): Promise<[string, { slug: string } | null]> => {
        const slug = slugify(title);
        if (!slug) return [normalizeTitle(title), null];
        const leadsTo = known?.get(slug);
        if (leadsTo !== undefined)
          return [normalizeTitle(title), leadsTo ? { slug: leadsTo } : null];
        // Not among the page's stored links (a preview, a revision, a notes release before
        // `links`): ask notes.
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
