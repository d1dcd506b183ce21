// views.open/update/publish: modals and App Home. Kept as state so tests can read what the bot showed,
// with Slack's rules that catch real bugs: single-use trigger ids and optimistic-lock hashes.
import { newId } from '../../slack-wire.js';
import type { ViewRecord, WorkspaceState } from '../state.js';
import { type ApiResult, fail, type MethodHandler, str } from './common.js';

function readView(
  args: Record<string, unknown>,
  type: 'modal' | 'home',
): Record<string, unknown> | undefined {
  const view = args.view;
  if (typeof view !== 'object' || view === null || Array.isArray(view)) return undefined;
  const v = view as Record<string, unknown>;
  if (v.type !== type || !Array.isArray(v.blocks)) return undefined;
  return v;
}

const newHash = (state: WorkspaceState) => `${Math.floor(state.now() / 1000)}.${newId('', 8)}`;

function store(state: WorkspaceState, previous: ViewRecord | undefined, definition: Record<string, unknown>) {
  const record: ViewRecord = {
    id: previous?.id ?? newId('V'),
    type: String(definition.type),
    callback_id: typeof definition.callback_id === 'string' ? definition.callback_id : '',
    external_id: typeof definition.external_id === 'string' ? definition.external_id : '',
    private_metadata: typeof definition.private_metadata === 'string' ? definition.private_metadata : '',
    hash: newHash(state),
    user_id: previous?.user_id,
    definition,
    history: previous ? [...previous.history, previous.definition] : [],
  };
  state.views.set(record.id, record);
  return record;
}

/** The view object Slack returns: the definition plus the ids and bookkeeping it adds. */
function viewObject(v: ViewRecord, state: WorkspaceState): Record<string, unknown> {
  return {
    ...v.definition,
    id: v.id,
    team_id: state.identity.teamId,
    type: v.type,
    private_metadata: v.private_metadata,
    callback_id: v.callback_id,
    external_id: v.external_id,
    state: { values: {} },
    hash: v.hash,
    clear_on_close: v.definition.clear_on_close ?? false,
    notify_on_close: v.definition.notify_on_close ?? false,
    previous_view_id: null,
    root_view_id: v.id,
    app_id: state.identity.apiAppId,
    app_installed_team_id: state.identity.teamId,
    bot_id: state.identity.botId,
  };
}

function hashConflict(args: Record<string, unknown>, existing: ViewRecord): ApiResult | undefined {
  const hash = str(args, 'hash');
  return hash !== undefined && hash !== existing.hash ? fail('hash_conflict') : undefined;
}

const viewsOpen: MethodHandler = ({ state, args }) => {
  const trigger = str(args, 'trigger_id');
  if (trigger === undefined) return fail('invalid_trigger_id');
  if (state.usedTriggers.has(trigger)) return fail('exchanged_trigger_id');
  const definition = readView(args, 'modal');
  if (!definition) return fail('invalid_arguments');
  state.usedTriggers.add(trigger);
  return { ok: true, view: viewObject(store(state, undefined, definition), state) };
};

const viewsUpdate: MethodHandler = ({ state, args }) => {
  const id = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  const existing =
    id !== undefined
      ? state.views.get(id)
      : [...state.views.values()].find((v) => externalId !== undefined && v.external_id === externalId);
  if (!existing) return fail('not_found');
  const definition = readView(args, existing.type === 'home' ? 'home' : 'modal');
  if (!definition) return fail('invalid_arguments');
  const conflict = hashConflict(args, existing);
  if (conflict) return conflict;
  return { ok: true, view: viewObject(store(state, existing, definition), state) };
};

const viewsPublish: MethodHandler = ({ state, args }) => {
  const userId = str(args, 'user_id');
  if (userId === undefined || !state.users.has(userId)) return fail('user_not_found');
  const definition = readView(args, 'home');
  if (!definition) return fail('invalid_arguments');
  const existing = [...state.views.values()].find((v) => v.user_id === userId);
  const conflict = existing ? hashConflict(args, existing) : undefined;
  if (conflict) return conflict;
  const record = store(state, existing, definition);
  record.user_id = userId;
  return { ok: true, view: viewObject(record, state) };
};

export const viewMethods: Record<string, MethodHandler> = {
  'views.open': viewsOpen,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
};
