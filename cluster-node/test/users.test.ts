import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, type TestNode } from './support/node.js';

describe('users API', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('makes the first user system admin and later ones plain users', async () => {
    const anon = t.anonymous();
    const first = await anon.post('/users', { username: 'root1', email: 'root1@example.com', password: 'password123' });
    expect(first.status).toBe(201);
    expect(first.body.roles).toBe('system_admin system_user');
    expect(first.body.id).toMatch(/^[a-z0-9]{26}$/);
    expect(first.body).not.toHaveProperty('password');
    expect(first.headers.get('content-type')).toBe('application/json');
    const second = await anon.post('/users', { username: 'plain1', email: 'plain1@example.com', password: 'password123' });
    expect(second.body.roles).toBe('system_user');
  });

  it('logs in with username or email, returns the Token header, and rejects bad passwords', async () => {
    const anon = t.anonymous();
    await anon.post('/users', { username: 'bob', email: 'Bob@Example.com', password: 'password123' });
    const byName = await anon.post('/users/login', { login_id: 'bob', password: 'password123' });
    expect(byName.status).toBe(200);
    expect(byName.headers.get('token')).toMatch(/^[a-z0-9]{26}$/);
    const byEmail = await anon.post('/users/login', { login_id: 'bob@example.com', password: 'password123' });
    expect(byEmail.status).toBe(200);
    const bad = await anon.post('/users/login', { login_id: 'bob', password: 'wrong-password' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ id: 'api.user.login.invalid_credentials_email_username', status_code: 401 });
    expect(bad.body.request_id).toMatch(/^[a-z0-9]{26}$/);
    const nobody = await anon.post('/users/login', { login_id: 'nobody', password: 'password123' });
    expect(nobody.status).toBe(401);
  });

  it('serves me, by id, by ids, by username and search; logout revokes the token', async () => {
    const carol = await t.user('carol');
    const dave = await t.user('dave');
    const me = await carol.get('/users/me');
    expect(me.body).toMatchObject({ username: 'carol', email: 'carol@example.com' });
    const other = await carol.get(`/users/${dave.userId}`);
    expect(other.body.username).toBe('dave');
    const byIds = await carol.post('/users/ids', [dave.userId, carol.userId]);
    expect(byIds.body.map((u: { username: string }) => u.username).sort()).toEqual(['carol', 'dave']);
    const byName = await carol.get('/users/username/dave');
    expect(byName.body.id).toBe(dave.userId);
    const search = await carol.post('/users/search', { term: 'car' });
    expect(search.body.map((u: { username: string }) => u.username)).toContain('carol');
    const out = await carol.post('/users/logout');
    expect(out.status).toBe(200);
    const after = await carol.get('/users/me');
    expect(after.status).toBe(401);
    expect(after.body.id).toBe('api.context.session_expired.app_error');
  });

  it('refuses bad input with Mattermost error bodies and changes nothing', async () => {
    const anon = t.anonymous();
    const badName = await anon.post('/users', { username: 'X!', email: 'x@example.com', password: 'password123' });
    expect(badName.status).toBe(400);
    expect(badName.body.id).toBe('model.user.is_valid.username.app_error');
    const short = await anon.post('/users', { username: 'shorty', email: 'shorty@example.com', password: 'short' });
    expect(short.body.id).toBe('model.user.is_valid.pwd.app_error');
    const dup = await anon.post('/users', { username: 'bob', email: 'bob2@example.com', password: 'password123' });
    expect(dup.body.id).toBe('app.user.save.username_exists.app_error');
    const malformed = await anon.request('POST', '/users', '{"username":', { 'content-type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.id).toBe('api.context.invalid_json.app_error');
    const badId = await (await t.user('erin')).get('/users/not-an-id');
    expect(badId.status).toBe(400);
    const unknown = await anon.get('/no/such/route');
    expect(unknown.status).toBe(404);
    expect(unknown.body.id).toBe('api.context.404.app_error');
    const huge = await anon.request('POST', '/users', JSON.stringify({ username: 'x'.repeat(2_000_000) }));
    expect(huge.status).toBe(413);
  });

  it('answers system/ping with database status', async () => {
    const ping = await t.anonymous().get('/system/ping?get_server_status=true');
    expect(ping.status).toBe(200);
    expect(ping.body).toMatchObject({ status: 'OK', database_status: 'OK', node_id: t.node.nodeId });
  });
});

describe('users API with open sign-up turned off', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode({ enableOpenSignup: false });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('lets the first user in as admin, refuses strangers, and lets the admin create users', async () => {
    const admin = await t.user('founder');
    expect((await admin.get('/users/me')).body.roles).toContain('system_admin');
    const stranger = await t.anonymous().post('/users', { username: 'stranger', email: 'stranger@example.com', password: 'password123' });
    expect(stranger.status).toBe(403);
    expect(stranger.body.id).toBe('api.user.create_user.signup_email_disabled.app_error');
    const byAdmin = await admin.post('/users', { username: 'invited', email: 'invited@example.com', password: 'password123' });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.roles).toBe('system_user');
  });
});
