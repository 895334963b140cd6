import { type FastifyRequest } from 'fastify';

/**
 * The client address, trusting exactly `trustedHops` proxies (the ingress) in front of us:
 * X-Forwarded-For entries added by untrusted hops are attacker-controlled and ignored.
 */
export function clientIp(request: FastifyRequest, trustedHops: number): string {
  const socketIp = request.raw.socket?.remoteAddress ?? 'unknown';
  if (trustedHops <= 0) return socketIp;
  const header = request.headers['x-forwarded-for'];
  const chain = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // The last `trustedHops` entries were appended by our proxies; the one before is the client.
  const index = chain.length - trustedHops;
  return index >= 0 ? (chain[index] ?? socketIp) : (chain[0] ?? socketIp);
}
