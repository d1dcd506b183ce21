// Workspace lookups and membership: auth.test, conversations.*, users.info, usergroups.users.*.
// Response objects carry the fields the bot reads plus enough of the rest to look like Slack's.
import { type ChannelRecord, tzOffsetSeconds, type WorkspaceState } from '../state.js';
import type { StandInUser } from '../types.js';
import { fail, idList, type MethodHandler, str } from './common.js';

function channelObject(c: ChannelRecord, state: WorkspaceState): Record<string, unknown> {
  if (c.is_im) {
    return {
      id: c.id,
      created: c.created,
      is_im: true,
      is_org_shared: false,
      user: c.name,
      is_user_deleted: false,
    };
  }
  const blank = { value: '', creator: '', last_set: 0 };
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.is_private,
    is_group: c.is_private,
    is_im: false,
    is_mpim: false,
    is_private: c.is_private,
    created: c.created,
    is_archived: c.is_archived,
    is_general: c.name === 'general',
    name_normalized: c.name,
    is_shared: c.is_ext_shared,
    is_ext_shared: c.is_ext_shared,
    is_org_shared: false,
    context_team_id: state.identity.teamId,
    is_member: c.is_member,
    topic: blank,
    purpose: blank,
  };
}

function userObject(u: StandInUser, state: WorkspaceState): Record<string, unknown> {
  const tz = u.tz ?? 'UTC';
  const realName = u.real_name ?? u.name;
  return {
    id: u.id,
    team_id: state.identity.teamId,
    name: u.name,
    deleted: false,
    real_name: realName,
    tz,
    tz_label: tz,
    tz_offset: tzOffsetSeconds(tz, state.now()),
    is_admin: false,
    is_owner: false,
    is_bot: u.is_bot ?? false,
    is_restricted: u.is_restricted ?? false,
    is_ultra_restricted: false,
    is_app_user: false,
    updated: Math.floor(state.now() / 1000),
    profile: {
      real_name: realName,
      real_name_normalized: realName,
      display_name: u.name,
      display_name_normalized: u.name,
      team: state.identity.teamId,
    },
  };
}

const authTest: MethodHandler = ({ state }) => ({
  ok: true,
  url: `https://${state.identity.teamDomain}.slack.com/`,
  team: 'Sandbox',
  user: state.identity.botName,
  team_id: state.identity.teamId,
  user_id: state.identity.botUserId,
  bot_id: state.identity.botId,
  is_enterprise_install: false,
});

function visible(state: WorkspaceState, ref: string | undefined): ChannelRecord | undefined {
  const channel = ref === undefined ? undefined : state.resolveChannel(ref);
  return channel && !(channel.is_private && !channel.is_member) ? channel : undefined;
}

const conversationsInfo: MethodHandler = ({ state, args }) => {
  const channel = visible(state, str(args, 'channel'));
  return channel ? { ok: true, channel: channelObject(channel, state) } : fail('channel_not_found');
};

const conversationsJoin: MethodHandler = ({ state, args }) => {
  const channel = visible(state, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  if (channel.is_im) return fail('method_not_supported_for_channel_type');
  if (channel.is_member) {
    const warning = 'already_in_channel';
    return {
      ok: true,
      channel: channelObject(channel, state),
      warning,
      response_metadata: { warnings: [warning] },
    };
  }
  channel.is_member = true;
  return { ok: true, channel: channelObject(channel, state) };
};

const usersInfo: MethodHandler = ({ state, args }) => {
  const id = str(args, 'user');
  const user = id === undefined ? undefined : state.users.get(id);
  return user ? { ok: true, user: userObject(user, state) } : fail('user_not_found');
};

const usergroupsUsersUpdate: MethodHandler = ({ state, args }) => {
  const id = str(args, 'usergroup');
  const group = id === undefined ? undefined : state.usergroups.get(id);
  if (!group) return fail('no_such_subteam');
  const users = idList(args, 'users');
  if (users.length === 0) return fail('no_users_provided');
  if (users.some((u) => !state.users.has(u))) return fail('invalid_users');
  // Slack refuses bots (and guests) as usergroup members.
  if (users.some((u) => state.users.get(u)?.is_bot)) return fail('invalid_user');
  group.users = [...new Set(users)];
  const nowSec = Math.floor(state.now() / 1000);
  return {
    ok: true,
    usergroup: {
      id: group.id,
      team_id: state.identity.teamId,
      is_usergroup: true,
      name: group.name,
      description: '',
      handle: group.handle,
      is_external: false,
      date_create: nowSec,
      date_update: nowSec,
      date_delete: 0,
      auto_type: null,
      created_by: state.identity.botUserId,
      updated_by: state.identity.botUserId,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      users: group.users,
      user_count: group.users.length,
    },
  };
};

const usergroupsUsersList: MethodHandler = ({ state, args }) => {
  const id = str(args, 'usergroup');
  const group = id === undefined ? undefined : state.usergroups.get(id);
  return group ? { ok: true, users: [...group.users] } : fail('no_such_subteam');
};

/** conversations.open with one user: the DM with them (opened on first use), as Slack answers. */
const conversationsOpen: MethodHandler = ({ state, args }) => {
  const users = (str(args, 'users') ?? '').split(',').filter(Boolean);
  if (users.length !== 1) return fail(users.length === 0 ? 'users_list_not_supplied' : 'not_supported');
  const user = users[0] as string;
  if (!state.users.has(user)) return fail('user_not_found');
  const dm = state.resolveChannel(user);
  return dm ? { ok: true, channel: { id: dm.id, is_im: true, user } } : fail('user_not_found');
};

export const directoryMethods: Record<string, MethodHandler> = {
  'conversations.open': conversationsOpen,
  'auth.test': authTest,
  'conversations.info': conversationsInfo,
  'conversations.join': conversationsJoin,
  'users.info': usersInfo,
  'usergroups.users.update': usergroupsUsersUpdate,
  'usergroups.users.list': usergroupsUsersList,
};
