import { ChannelService } from './channels.js';
import type { ServiceDeps } from './context.js';
import { PostService } from './posts.js';
import { SessionService } from './sessions.js';
import { StatusService } from './statuses.js';
import { TeamService } from './teams.js';
import { UserService } from './users.js';

/** Every service of the node, built once in the composition root. */
export interface Services {
  sessions: SessionService;
  users: UserService;
  statuses: StatusService;
  teams: TeamService;
  channels: ChannelService;
  posts: PostService;
}

/** Builds the services over their dependencies, in dependency order. */
export function createServices(deps: ServiceDeps): Services {
  const sessions = new SessionService(deps);
  const users = new UserService(deps, sessions);
  const statuses = new StatusService(deps);
  const teams = new TeamService(deps);
  const channels = new ChannelService(deps);
  const posts = new PostService(deps);
  return { sessions, users, statuses, teams, channels, posts };
}
