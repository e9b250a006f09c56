-- Up Migration
-- Switchboard's durable model: Mattermost's core entities. Ids are 26-character strings,
-- timestamps epoch milliseconds (bigint), soft deletes keep delete_at > 0.

CREATE TABLE users (
  id                   text PRIMARY KEY,
  create_at            bigint NOT NULL,
  update_at            bigint NOT NULL,
  delete_at            bigint NOT NULL DEFAULT 0,
  username             text NOT NULL,
  email                text NOT NULL,
  password_hash        text NOT NULL,
  nickname             text NOT NULL DEFAULT '',
  first_name           text NOT NULL DEFAULT '',
  last_name            text NOT NULL DEFAULT '',
  position             text NOT NULL DEFAULT '',
  roles                text NOT NULL DEFAULT 'system_user',
  locale               text NOT NULL DEFAULT 'en',
  props                jsonb NOT NULL DEFAULT '{}'::jsonb,
  notify_props         jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_password_update bigint NOT NULL
);
CREATE UNIQUE INDEX users_username_key ON users (username);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
  id               text PRIMARY KEY,
  token_hash       text NOT NULL UNIQUE,
  user_id          text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  create_at        bigint NOT NULL,
  expires_at       bigint NOT NULL,
  last_activity_at bigint NOT NULL,
  device_id        text NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE teams (
  id                text PRIMARY KEY,
  create_at         bigint NOT NULL,
  update_at         bigint NOT NULL,
  delete_at         bigint NOT NULL DEFAULT 0,
  name              text NOT NULL UNIQUE,
  display_name      text NOT NULL,
  description       text NOT NULL DEFAULT '',
  email             text NOT NULL DEFAULT '',
  type              char(1) NOT NULL CHECK (type IN ('O', 'I')),
  invite_id         text NOT NULL,
  allow_open_invite boolean NOT NULL DEFAULT false
);

CREATE TABLE team_members (
  team_id   text NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  user_id   text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles     text NOT NULL DEFAULT 'team_user',
  delete_at bigint NOT NULL DEFAULT 0,
  create_at bigint NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user_id_idx ON team_members (user_id);

CREATE TABLE channels (
  id                text PRIMARY KEY,
  create_at         bigint NOT NULL,
  update_at         bigint NOT NULL,
  delete_at         bigint NOT NULL DEFAULT 0,
  team_id           text NOT NULL DEFAULT '',
  type              char(1) NOT NULL CHECK (type IN ('O', 'P', 'D')),
  name              text NOT NULL,
  display_name      text NOT NULL DEFAULT '',
  header            text NOT NULL DEFAULT '',
  purpose           text NOT NULL DEFAULT '',
  last_post_at      bigint NOT NULL DEFAULT 0,
  last_root_post_at bigint NOT NULL DEFAULT 0,
  total_msg_count   bigint NOT NULL DEFAULT 0,
  creator_id        text NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX channels_team_name_key ON channels (team_id, name);

CREATE TABLE channel_members (
  channel_id     text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id        text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  roles          text NOT NULL DEFAULT 'channel_user',
  last_viewed_at bigint NOT NULL DEFAULT 0,
  msg_count      bigint NOT NULL DEFAULT 0,
  mention_count  bigint NOT NULL DEFAULT 0,
  notify_props   jsonb NOT NULL DEFAULT '{}'::jsonb,
  last_update_at bigint NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX channel_members_user_id_idx ON channel_members (user_id);

CREATE TABLE posts (
  id              text PRIMARY KEY,
  create_at       bigint NOT NULL,
  update_at       bigint NOT NULL,
  edit_at         bigint NOT NULL DEFAULT 0,
  delete_at       bigint NOT NULL DEFAULT 0,
  is_pinned       boolean NOT NULL DEFAULT false,
  user_id         text NOT NULL REFERENCES users (id),
  channel_id      text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  root_id         text NOT NULL DEFAULT '',
  original_id     text NOT NULL DEFAULT '',
  message         text NOT NULL,
  type            text NOT NULL DEFAULT '',
  props           jsonb NOT NULL DEFAULT '{}'::jsonb,
  hashtags        text NOT NULL DEFAULT '',
  pending_post_id text NOT NULL DEFAULT ''
);
CREATE INDEX posts_channel_create_idx ON posts (channel_id, create_at DESC, id DESC);
CREATE INDEX posts_channel_update_idx ON posts (channel_id, update_at);
CREATE INDEX posts_root_id_idx ON posts (root_id) WHERE root_id <> '';
-- A client retrying a create with the same pending_post_id gets the first post back, not a copy.
CREATE UNIQUE INDEX posts_pending_key ON posts (user_id, pending_post_id) WHERE pending_post_id <> '';

CREATE TABLE statuses (
  user_id          text PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  status           text NOT NULL CHECK (status IN ('online', 'away', 'dnd', 'offline')),
  manual           boolean NOT NULL DEFAULT false,
  last_activity_at bigint NOT NULL
);

-- Down Migration
DROP TABLE statuses;
DROP TABLE posts;
DROP TABLE channel_members;
DROP TABLE channels;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE sessions;
DROP TABLE users;
