// The OAuth scopes the bot needs, derived from what it actually does. The manifest test
// checks manifests/*.yaml against this, and the e2e suite checks that every Web API method
// the bot called is listed here — so the manifest asks for exactly what is used.

/** Web API methods the bot calls, and the bot scope each needs (null: none). */
export const WEB_API_METHOD_SCOPES: Record<string, string | null> = {
  'auth.test': null,
  'apps.connections.open': null, // app-level token with connections:write, not a bot scope
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'chat.delete': 'chat:write', // retracting an outreach message from a customer channel
  'usergroups.users.list': 'usergroups:read',
  'usergroups.users.update': 'usergroups:write', // on-call handles follow the schedule
  'views.open': null, // opening a modal from a click needs no scope
  'chat.getPermalink': null, // the card's link for cases and issues
  'conversations.history': 'channels:history', // finding a card a crashed attempt already posted (groups:history for private)
  'conversations.replies': 'channels:history', // a retried thread reply looks for itself first
  'users.info': 'users:read', // display names for Salesforce and Jira; on-call time zones
  'files.getUploadURLExternal': 'files:write', // files.uploadV2, step 1: posting a CSV report
  'files.completeUploadExternal': 'files:write', // files.uploadV2, step 3: sharing it in the channel
  'conversations.open': 'im:write', // a retried DM finds its conversation to look for itself first
};

/** Scopes a method needs in some conversations only: conversations.history in a DM (the retried DM). */
export const CONVERSATION_KIND_SCOPES: readonly string[] = ['im:history'];

/** Bot event subscriptions and the scope each needs. */
export const BOT_EVENT_SCOPES: Record<string, string> = {
  app_mention: 'app_mentions:read',
  'message.channels': 'channels:history',
  'message.groups': 'groups:history',
};

export const SLASH_COMMAND_SCOPE = 'commands';

export function requiredBotScopes(inventory: {
  commands: Set<string>;
  botEvents: Set<string>;
  shortcuts: Set<string>;
}): string[] {
  const scopes = new Set<string>();
  for (const scope of Object.values(WEB_API_METHOD_SCOPES)) if (scope) scopes.add(scope);
  for (const scope of CONVERSATION_KIND_SCOPES) scopes.add(scope);
  for (const event of inventory.botEvents) {
    const scope = BOT_EVENT_SCOPES[event];
    if (!scope) throw new Error(`no scope known for bot event ${event}: add it to BOT_EVENT_SCOPES`);
    scopes.add(scope);
  }
  // Slash commands and shortcuts both need `commands`.
  if (inventory.commands.size > 0 || inventory.shortcuts.size > 0) scopes.add(SLASH_COMMAND_SCOPE);
  return [...scopes].sort();
}
