import { z } from 'zod';
import { clusterProfileSchema } from '../../config/profile.js';
import { profileNameSchema } from './common.js';

/** The `profiles.*` methods: which clusters the console knows, and which one it watches. */

/** Where a profile comes from: built in (`local`), the console's profile folder, or the command line. */
export const profileSourceSchema = z.enum(['builtin', 'folder', 'command-line']);

/** One known profile. */
export const profileSummarySchema = z.object({
  name: profileNameSchema,
  source: profileSourceSchema,
  /** The file it was read from (null for `local`). */
  path: z.string().nullable(),
  /** The cluster it points at. */
  cluster: z.string(),
});

/** `profiles.list` output. */
export const profilesListOutputSchema = z.object({
  profiles: z.array(profileSummarySchema),
  /** The profile the console is connected to. */
  selected: profileNameSchema,
});

/** Input of `profiles.get` and `profiles.select`. */
export const profileRefInputSchema = z.object({ name: profileNameSchema }).strict();

/** `profiles.get` output: the profile as validated (secrets are named in it, never included). */
export const profileGetOutputSchema = profileSummarySchema.extend({ profile: clusterProfileSchema });

/** `profiles.save` input: a profile to write into the console's profile folder (as `<name>.yaml`). */
export const profileSaveInputSchema = z.object({ profile: clusterProfileSchema }).strict();

/** `profiles.save` output. */
export const profileSaveOutputSchema = profileSummarySchema;

/** `profiles.select` output: the profile now watched. */
export const profileSelectOutputSchema = profileSummarySchema;

/** One known profile. */
export type ProfileSummary = z.infer<typeof profileSummarySchema>;
