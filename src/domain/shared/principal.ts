import { z } from 'zod';
import { type Role, roles } from './vocabulary.js';

/**
 * The claims of an access token (DESIGN "Users and roles"): exporters are bound to one actor,
 * checkpoint staff to one checkpoint.
 */
export const claimsSchema = z
  .object({
    sub: z.string().min(1),
    role: z.enum(roles),
    actor: z.uuid().optional(),
    checkpoint: z.uuid().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.role === 'exporter' && !c.actor)
      ctx.addIssue({ code: 'custom', path: ['actor'], message: 'an exporter token must name its actor' });
    if (c.role === 'checkpoint' && !c.checkpoint)
      ctx.addIssue({
        code: 'custom',
        path: ['checkpoint'],
        message: 'a checkpoint token must name its checkpoint',
      });
  });

/** Who is acting: what the ledger records beside every event. */
export interface Principal {
  sub: string;
  role: Role;
  actorId?: string;
  checkpointId?: string;
}

export function principalOf(claims: z.infer<typeof claimsSchema>): Principal {
  return {
    sub: claims.sub,
    role: claims.role,
    ...(claims.actor ? { actorId: claims.actor } : {}),
    ...(claims.checkpoint ? { checkpointId: claims.checkpoint } : {}),
  };
}

/** The principal of work the system does by itself (first-start demo data, CLI imports). */
export const systemPrincipal = (sub: string): Principal => ({ sub, role: 'admin' });
