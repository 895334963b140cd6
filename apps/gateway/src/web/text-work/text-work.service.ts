import { type OnApplicationShutdown } from '@nestjs/common';
import { JobTimeoutError, QueueFullError, WorkerPool, type WorkerPoolOptions } from '@lateral/work';
import { raw, type SafeHtml } from '../html.js';
import { GatewayException } from '../platform.js';
import {
  fillTemplate,
  parseMarkdown,
  renderParsed,
  renderTemplate,
  type RenderEnv,
  type RenderTemplate,
} from '../markdown/markdown.js';
import {
  runTextTask,
  type TextTaskMessage,
  type TextTaskName,
  type TextTasks,
} from './text-tasks.js';
import { textWorkerEntry } from './text-worker-script.js';

export interface TextWorkLimits {
  /** Worker threads at most (started on first use). */
  workers: number;
  /** Tasks allowed to wait for a worker; past this, pages answer 503 with Retry-After. */
  queueCapacity: number;
  /** Budget per task in a worker; past it the worker is terminated and replaced. */
  taskTimeoutMs: number;
  /** Seconds a client is told to wait when the queue is full. */
  retryAfterSeconds: number;
  /**
   * Diffs up to this many lines (both sides) and characters are made inline: bounded (see
   * DIFF_LIMITS) to a few milliseconds, less than the hop to a worker.
   */
  diffInlineMaxLines: number;
  diffInlineMaxChars: number;
  /** Markdown up to this many characters is rendered inline (markdown-it is linear). */
  markdownInlineMaxChars: number;
}

// Constants until they earn a place in GatewayConfig.
export const TEXT_WORK_LIMITS: Readonly<TextWorkLimits> = {
  workers: 2,
  queueCapacity: 16,
  taskTimeoutMs: 5_000,
  retryAfterSeconds: 2,
  diffInlineMaxLines: 200,
  diffInlineMaxChars: 16 * 1024,
  markdownInlineMaxChars: 64 * 1024,
};

/** Where a page version's rendered template is kept (see RenderCache). */
export interface TemplateStore {
  get(): RenderTemplate | undefined;
  set(template: RenderTemplate): RenderTemplate;
}

function lineCount(text: string): number {
  let count = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}

/**
 * CPU-bound text work under a budget and off the event loop when large: diffs and very large
 * markdown renders go to a {@link WorkerPool} (text-worker.ts); small ones run inline. A full
 * queue is a 503 with Retry-After (a burst of hostile pages turns into quick 503s rather than a
 * line that times everyone out), a task over its budget a 503 (its worker is replaced).
 */
export class TextWorkService implements OnApplicationShutdown {
  private readonly pool: WorkerPool<TextTaskMessage, TextTasks[TextTaskName]['output']>;

  constructor(
    private readonly limits: TextWorkLimits = TEXT_WORK_LIMITS,
    worker: WorkerPoolOptions['worker'] = () => ({ filename: textWorkerEntry() }),
  ) {
    this.pool = new WorkerPool({
      size: limits.workers,
      capacity: limits.queueCapacity,
      timeoutMs: limits.taskTimeoutMs,
      worker,
    });
  }

  /** Workers started so far. */
  get workersStarted(): number {
    return this.pool.spawned;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.close();
  }

  /** A line diff rendered as HTML (a coarse one, with a notice, past the diff limits). */
  async diff(before: string, after: string, labels: TextTasks['diff']['input']['labels']) {
    const input = { before, after, labels };
    const small =
      before.length + after.length <= this.limits.diffInlineMaxChars &&
      lineCount(before) + lineCount(after) <= this.limits.diffInlineMaxLines;
    return raw(small ? runTextTask('diff', input) : await this.inWorker('diff', input));
  }

  /**
   * Markdown to HTML, with `lookup` resolving what the page links to and embeds in between.
   * Small pages are parsed once, inline; large ones are parsed in a worker, then rendered
   * there (two trips, because markdown-it's tokens do not survive a structured clone).
   */
  async markdown(
    source: string,
    lookup: (found: TextTasks['scanMarkdown']['output']) => Promise<RenderEnv>,
    cached?: TemplateStore,
  ): Promise<SafeHtml> {
    if (cached && source.length <= this.limits.markdownInlineMaxChars) {
      // Parsed and rendered once per page version; only the reader's slots are filled here.
      const template = cached.get() ?? cached.set(renderTemplate(parseMarkdown(source)));
      const { wikiTargets, mediaIds } = template;
      return raw(fillTemplate(template, await lookup({ wikiTargets, mediaIds })));
    }
    if (source.length <= this.limits.markdownInlineMaxChars) {
      const parsed = parseMarkdown(source);
      const { wikiTargets, mediaIds } = parsed;
      return raw(renderParsed(parsed, await lookup({ wikiTargets, mediaIds })));
    }
    const env = await lookup(await this.inWorker('scanMarkdown', source));
    return raw(await this.inWorker('renderMarkdown', { source, env }));
  }

  private async inWorker<K extends TextTaskName>(
    name: K,
    input: TextTasks[K]['input'],
  ): Promise<TextTasks[K]['output']> {
    try {
      const task = { name, input } as TextTaskMessage;
      return await this.pool.run(task);
    } catch (error) {
      if (error instanceof QueueFullError) {
        const retryAfterSeconds = this.limits.retryAfterSeconds;
        throw new GatewayException(
          'service_unavailable',
          'The wiki is busy rendering other large pages. Try again in a moment.',
          { retryAfterSeconds },
          { 'retry-after': String(retryAfterSeconds) },
        );
      }
      if (error instanceof JobTimeoutError) {
        throw new GatewayException(
          'service_unavailable',
          `This page took longer than ${this.limits.taskTimeoutMs / 1000} s to render.`,
        );
      }
      throw error;
    }
  }
}
