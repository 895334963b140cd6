import { Injectable } from '@nestjs/common';
import { MediaException, type MediaErrorCode } from '../errors/media-errors.js';
import { MediaMetrics, type RejectionReason } from '../media.metrics.js';

const REJECTION_REASONS: Partial<Record<MediaErrorCode, RejectionReason>> = {
  payload_too_large: 'too_large',
  too_many_pixels: 'too_many_pixels',
  too_many_frames: 'too_many_frames',
  unsupported_type: 'unsupported_type',
  svg_refused: 'unsupported_type',
  processing_timeout: 'timeout',
  queue_full: 'queue_full',
  corrupt_image: 'corrupt',
};

/**
 * `lateral_media_rejections_total{reason}`: uploads and on-demand renders refused, by reason.
 * Only work that reads or processes pixels is counted (an unknown id or a bad `?w=` is not a
 * rejection of an image), so callers wrap exactly that work.
 */
@Injectable()
export class RejectionMetrics {
  constructor(private readonly metrics: MediaMetrics) {}

  async counted<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const reason = error instanceof MediaException ? REJECTION_REASONS[error.code] : undefined;
      if (reason) this.metrics.rejections.inc({ reason });
      throw error;
    }
  }
}
