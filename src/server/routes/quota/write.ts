import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import { IDEMPOTENCY_HEADER } from '../../../contract/quota.js';
import type { WriteResult } from '../../services/quota.js';

export const idempotencyHeaders = z.looseObject({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .optional()
    .describe('Required on every write: 8–128 characters [A-Za-z0-9_.:-]'),
});

/** Sends an idempotent write's answer; a replay carries `Idempotent-Replayed: true`. */
export function sendWrite<T>(reply: FastifyReply, result: WriteResult<T>) {
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.statusCode).send(result.body);
}
