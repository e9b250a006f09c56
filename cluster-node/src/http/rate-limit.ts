import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { SwitchboardError } from '@switchboard/shared';
import type { FastifyReply } from 'fastify';

/** A per-key requests-per-second limit with a burst of the same size. */
export class RateLimit {
  private readonly limiter: RateLimiterMemory;

  constructor(
    readonly scope: 'ip' | 'user',
    readonly perSecond: number,
  ) {
    this.limiter = new RateLimiterMemory({ points: perSecond, duration: 1 });
  }

  /**
   * Takes one request's worth for `key`; past the limit, sets Mattermost's rate-limit headers
   * and throws the 429 error.
   */
  async take(key: string, reply: FastifyReply): Promise<void> {
    try {
      const res = await this.limiter.consume(key);
      void reply.header('X-RateLimit-Limit', String(this.perSecond)).header('X-RateLimit-Remaining', String(res.remainingPoints));
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      const retrySeconds = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
      void reply
        .header('X-RateLimit-Limit', String(this.perSecond))
        .header('X-RateLimit-Remaining', '0')
        .header('X-RateLimit-Reset', String(retrySeconds))
        .header('Retry-After', String(retrySeconds));
      throw new SwitchboardError('api.context.rate_limited.app_error', { detail: `${this.scope} limit of ${this.perSecond} requests per second` });
    }
  }
}
