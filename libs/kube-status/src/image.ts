import { type V1Container } from '@kubernetes/client-node';

export interface ImageRef {
  repository: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Splits `registry:5000/org/app:tag@sha256:…`; a `:` before the last `/` is a registry port. */
export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const digest = at >= 0 ? image.slice(at + 1) : undefined;
  const colon = name.lastIndexOf(':');
  const hasTag = colon > name.lastIndexOf('/');
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    tag: hasTag ? name.slice(colon + 1) : undefined,
    digest,
  };
}

const SHA_TAG = /^(?:sha-)?([0-9a-f]{7,40})$/;

/**
 * The git commit a container runs. CI tags images with the SHA (sometimes `sha-<sha>`); a
 * literal `LATERAL_GIT_SHA` in the template (what the services report in `build_info`) wins
 * because a version tag like `1.4.0` says nothing about the commit.
 */
export function gitShaOf(container: Pick<V1Container, 'image' | 'env'>): string | undefined {
  const fromEnv = container.env?.find((e) => e.name === 'LATERAL_GIT_SHA')?.value;
  if (fromEnv && fromEnv !== 'unknown') return fromEnv;
  const tag = container.image ? parseImage(container.image).tag : undefined;
  return tag ? SHA_TAG.exec(tag)?.[1] : undefined;
}

/** The service's main container: the one named like the service, else the first. */
export function mainContainer<T extends { name: string }>(
  containers: readonly T[] | undefined,
  service: string,
): T | undefined {
  return containers?.find((c) => c.name === service) ?? containers?.[0];
}
