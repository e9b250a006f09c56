/**
 * Every error Switchboard reports, once. Ids follow Mattermost's where a Mattermost client
 * may recognise them; Switchboard's own start with their subsystem (`config.`, `redis.`).
 * docs/ERRORS.md lists the same table for operators.
 */
export const ERRORS = {
  // Generic HTTP / request shape
  'api.context.404.app_error': { status: 404, message: 'Sorry, we could not find the page.' },
  'api.context.invalid_body_param.app_error': { status: 400, message: 'Invalid or missing parameter in request body.' },
  'api.context.invalid_url_param.app_error': { status: 400, message: 'Invalid or missing parameter in request URL.' },
  'api.context.invalid_json.app_error': { status: 400, message: 'The request body is not valid JSON.' },
  'api.context.request_too_large.app_error': { status: 413, message: 'The request body is too large.' },
  'api.context.unsupported_media_type.app_error': { status: 415, message: 'The request body must be JSON.' },
  'api.context.session_expired.app_error': { status: 401, message: 'Invalid or expired session, please login again.' },
  'api.context.permissions.app_error': { status: 403, message: 'You do not have the appropriate permissions.' },
  'api.context.rate_limited.app_error': { status: 429, message: 'Too many requests. Please try again later.' },
  'api.context.draining.app_error': { status: 503, message: 'This server is shutting down. Please retry on another server.' },
  'api.context.method_not_allowed.app_error': { status: 405, message: 'Method not allowed.' },
  // Users and sessions
  'api.user.create_user.signup_email_disabled.app_error': { status: 403, message: 'User sign-up is disabled.' },
  'app.user.save.username_exists.app_error': { status: 400, message: 'An account with that username already exists.' },
  'app.user.save.email_exists.app_error': { status: 400, message: 'An account with that email already exists.' },
  'model.user.is_valid.username.app_error': { status: 400, message: 'Username must begin with a letter and contain between 3 and 22 lowercase characters made up of numbers, letters, and the symbols ".", "-", and "_".' },
  'model.user.is_valid.email.app_error': { status: 400, message: 'Invalid email.' },
  'model.user.is_valid.pwd.app_error': { status: 400, message: 'Your password must contain between 8 and 72 characters.' },
  'api.user.login.invalid_credentials_email_username': { status: 401, message: 'Enter a valid email or username and/or password.' },
  'app.user.missing_account.const': { status: 404, message: 'Unable to find the user.' },
  'api.user.update_status.invalid.app_error': { status: 400, message: 'Invalid status.' },
  // Teams
  'app.team.get.find.app_error': { status: 404, message: 'Unable to find the existing team.' },
  'app.team.save.existing.app_error': { status: 400, message: 'A team with that name already exists.' },
  'model.team.is_valid.name.app_error': { status: 400, message: 'Team name must be 2 to 64 lowercase letters, numbers, "-" or "_", starting with a letter or number.' },
  'model.team.is_valid.display_name.app_error': { status: 400, message: 'Display name must be 1 to 64 characters.' },
  'model.team.is_valid.type.app_error': { status: 400, message: 'Team type must be O (open) or I (invite only).' },
  'app.team.get_member.missing.app_error': { status: 404, message: 'No team member found for that user ID and team ID.' },
  'model.team.is_valid.reserved.app_error': { status: 400, message: 'This team name is unavailable.' },
  // Channels
  'app.channel.get.existing.app_error': { status: 404, message: 'Unable to find the existing channel.' },
  'store.sql_channel.save_channel.exists.app_error': { status: 400, message: 'A channel with that name already exists on the same team.' },
  'model.channel.is_valid.name.app_error': { status: 400, message: 'Channel name must be 1 to 64 lowercase letters, numbers, "-" or "_".' },
  'model.channel.is_valid.display_name.app_error': { status: 400, message: 'Display name must be 1 to 64 characters.' },
  'model.channel.is_valid.type.app_error': { status: 400, message: 'Channel type must be O (open) or P (private) here; use channels/direct for direct messages.' },
  'api.channel.create_direct_channel.invalid_user.app_error': { status: 400, message: 'A direct channel needs two existing users, one of them you.' },
  'app.channel.get_member.missing.app_error': { status: 404, message: 'No channel member found for that user ID and channel ID.' },
  'api.channel.add_user.to.channel.failed.deleted.app_error': { status: 403, message: 'The user must be a member of the channel\'s team first.' },
  'api.channel.add_user_to_channel.type.app_error': { status: 400, message: 'Can not add user to this channel type.' },
  'api.channel.remove_user_from_channel.app_error': { status: 400, message: 'Can not remove user from this channel type.' },
  'api.channel.remove.default.app_error': { status: 400, message: 'Unable to remove user from the default channel town-square.' },
  // Posts
  'app.post.get.app_error': { status: 404, message: 'Unable to get the post.' },
  'model.post.is_valid.msg.app_error': { status: 400, message: 'The message is too long: at most 16,383 characters.' },
  'model.post.is_valid.root_id.app_error': { status: 400, message: 'The root post must exist in the same channel and must not itself be a reply.' },
  'api.post.create_post.channel_archived.app_error': { status: 403, message: 'Cannot post in an archived channel.' },
  'api.post.update_post.can_not_update_post_in_deleted.error': { status: 400, message: 'Cannot edit a post in an archived channel.' },
  'api.post.delete_post.can_not_delete_post_in_deleted.error': { status: 400, message: 'Cannot delete a post in an archived channel.' },
  // Cluster and infrastructure (Switchboard's own)
  'internal.error': { status: 500, message: 'An internal error occurred.' },
  'store.unavailable': { status: 503, message: 'The database is not reachable.' },
  'config.invalid': { status: 500, message: 'The configuration is invalid.' },
  'cluster.fence.stale': { status: 409, message: 'A newer leader has taken over; this write was refused.' },
  'websocket.not_authenticated': { status: 401, message: 'The websocket connection is not authenticated.' },
  'websocket.bad_action': { status: 400, message: 'The websocket action is unknown or malformed.' },
  'websocket.rate_limited': { status: 429, message: 'Too many websocket actions. Please slow down.' },
  'websocket.origin_refused': { status: 403, message: 'The request origin is not allowed.' },
  // nodectl (the host CLI): the status stands for its exit code (400 -> 2, 404 -> 3, 409 -> 4, 500 -> 1)
  'nodectl.usage': { status: 400, message: 'The nodectl command line is invalid.' },
  'nodectl.config_invalid': { status: 400, message: 'The nodectl host configuration is invalid.' },
  'nodectl.unknown_node': { status: 404, message: 'No node with that id is configured on this host.' },
  'nodectl.conflict': { status: 409, message: 'The node is not in a state that allows this action.' },
  'nodectl.action_failed': { status: 500, message: 'The node action did not complete.' },
  // Console IPC (the contract between renderer and main, over Electron IPC or the web bridge)
  'ipc.method_unknown': { status: 404, message: 'The console has no such method.' },
  'ipc.event_unknown': { status: 404, message: 'The console has no such event.' },
  'ipc.input_invalid': { status: 400, message: 'The arguments of this call are invalid.' },
  'ipc.output_invalid': { status: 500, message: 'The console produced an invalid answer.' },
  'ipc.frame_invalid': { status: 400, message: 'The message is not a valid IPC frame.' },
  'ipc.unauthorized': { status: 401, message: 'The console connection is not authorised.' },
  'ipc.origin_refused': { status: 403, message: 'The console does not accept connections from this origin.' },
  'ipc.sender_refused': { status: 403, message: 'The console does not accept calls from this frame.' },
  'ipc.disconnected': { status: 503, message: 'The connection to the console was lost.' },
  // Console (main/): cluster observer, Postgres inspector, end-to-end probe
  'console.invalid_argument': { status: 400, message: 'An argument is invalid.' },
  'redis.unreachable': { status: 503, message: 'Redis is not reachable.' },
  'postgres.unreachable': { status: 503, message: 'The Postgres server is not reachable.' },
  'postgres.auth_failed': { status: 401, message: 'Postgres refused the credentials.' },
  'postgres.query_failed': { status: 500, message: 'A Postgres query failed.' },
  'probe.failed': { status: 502, message: 'The end-to-end probe could not run.' },
  // Console: profiles, host control and the audit log
  'profile.invalid': { status: 400, message: 'The cluster profile is invalid.' },
  'profile.not_found': { status: 404, message: 'No profile with that name is known.' },
  'hosts.unknown_host': { status: 404, message: 'No host with that name is in the profile.' },
  'hosts.invalid_argument': { status: 400, message: 'The host, node id or action is invalid.' },
  'hosts.host_key_unknown': { status: 409, message: 'The host presented a key the console does not know; check its fingerprint and accept it.' },
  'hosts.host_key_mismatch': { status: 403, message: 'The host key does not match the one on record; the connection was refused.' },
  'hosts.unreachable': { status: 503, message: 'The host cannot be reached.' },
  'hosts.auth_failed': { status: 401, message: 'Authentication to the host failed.' },
  'hosts.command_timeout': { status: 504, message: 'The command on the host did not finish in time.' },
  'hosts.command_failed': { status: 502, message: 'The command on the host failed.' },
  'hosts.bad_output': { status: 502, message: 'nodectl answered with output the console does not understand.' },
  'audit.write_failed': { status: 500, message: 'The audit log could not be written.' },
  // Console: failover drills
  'drill.invalid_scenario': { status: 400, message: 'The drill scenario is invalid.' },
  'drill.not_found': { status: 404, message: 'No drill scenario or run with that name is known.' },
  'drill.already_running': { status: 409, message: 'A drill is already running; halt it or wait for its verdict.' },
  'drill.missing_control': { status: 400, message: 'The profile lacks a setting this drill needs.' },
  'drill.failed': { status: 500, message: 'The drill could not run.' },
} as const satisfies Record<string, { status: number; message: string }>;

/** Every known error id. */
export type ErrorId = keyof typeof ERRORS;

/** Options for {@link SwitchboardError}. */
export interface SwitchboardErrorOptions {
  /** Developer-facing detail (never a stack); becomes Mattermost's `detailed_error`. */
  detail?: string;
  /** Overrides the catalogue's status where one id serves several (rare). */
  status?: number;
  /** Overrides the catalogue's message with a more specific user-safe one. */
  message?: string;
  /** The underlying error, kept for logs only. */
  cause?: unknown;
}

/**
 * The one error type Switchboard throws on purpose. Rendered as Mattermost's error body over
 * HTTP, as `{id, message, detail}` over IPC; anything else thrown becomes `internal.error`.
 * @example throw new SwitchboardError('app.post.get.app_error', { detail: `post_id=${postId}` });
 */
export class SwitchboardError extends Error {
  readonly id: ErrorId;
  readonly status: number;
  readonly detail: string;

  constructor(id: ErrorId, options: SwitchboardErrorOptions = {}) {
    const entry = ERRORS[id];
    super(options.message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SwitchboardError';
    this.id = id;
    this.status = options.status ?? entry.status;
    this.detail = options.detail ?? '';
  }
}

/** Whether a value is a {@link SwitchboardError}. */
export function isSwitchboardError(value: unknown): value is SwitchboardError {
  return value instanceof SwitchboardError;
}
