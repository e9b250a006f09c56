import { z } from 'zod';
import { profileHostSchema } from '../../config/profile.js';

/** Building blocks of the IPC contract's schemas. */

/** A point in time, epoch milliseconds. */
export const epochMsSchema = z.number().int().nonnegative();
/** A count of things. */
export const countSchema = z.number().int().nonnegative();
/** A method without arguments takes `{}`. */
export const noInputSchema = z.object({}).strict();
/** A host name as profiles spell it (`[a-z0-9][a-z0-9_-]*`). */
export const hostNameSchema = profileHostSchema.shape.name;
/**
 * A node id as profiles spell it (`[a-z0-9][a-z0-9-]*`): it is passed to nodectl as one argument,
 * so anything like `n1; rm -rf /` is refused here, before anything runs.
 */
export const nodeIdSchema = profileHostSchema.shape.nodes.unwrap().element;
/** A node id as the registry reports it (looser: whatever a node was configured with). */
export const registryNodeIdSchema = z.string().min(1).max(128);
/** A profile's name, or `local` for the built-in local profile. */
export const profileNameSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a profile name');
