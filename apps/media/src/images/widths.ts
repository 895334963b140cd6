/** Widths media renders (the gateway's srcset asks exactly these); anything else is refused. */
export const VARIANT_WIDTHS = [320, 640, 960, 1280, 1600] as const;
export type VariantWidth = (typeof VARIANT_WIDTHS)[number];

/** Made at upload so the first page view does not wait: a thumbnail and a display size. */
export const EAGER_WIDTHS = [320, 1600] as const;

/** `?w=` as an allowed width, or undefined when it is not one. */
export function parseWidthParam(value: string): VariantWidth | undefined {
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const width = Number(value);
  return VARIANT_WIDTHS.find((w) => w === width);
}

/**
 * The width actually rendered: never wider than the original (no upscaling). Every allowed
 * width at or above the original's collapses to the original's, so they share one stored copy.
 */
export function effectiveWidth(requested: number | undefined, originalWidth: number): number {
  return requested === undefined ? originalWidth : Math.min(requested, originalWidth);
}
