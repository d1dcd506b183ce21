import type { App, Middleware, SlackCommandMiddlewareArgs, SlackEventMiddlewareArgs } from '@slack/bolt';

/** What the app listens to; the manifest test compares it with manifests/slack-app.yaml. */
export interface SurfaceInventory {
  commands: Set<string>;
  botEvents: Set<string>;
  actions: Set<string>;
  shortcuts: Set<string>;
  views: Set<string>;
}

/**
 * Thin wrapper over Bolt registration that records every listener, so a listener added in
 * code but missing from the Slack manifest fails a test instead of failing in production.
 */
export class SlackSurface {
  readonly inventory: SurfaceInventory = {
    commands: new Set(),
    botEvents: new Set(),
    actions: new Set(),
    shortcuts: new Set(),
    views: new Set(),
  };

  constructor(readonly app: App) {}

  command(name: string, listener: Middleware<SlackCommandMiddlewareArgs>): void {
    this.inventory.commands.add(name);
    this.app.command(name, listener);
  }

  /**
   * `botEvents` are the manifest subscriptions this listener needs (a `message` listener needs
   * `message.channels` and `message.groups`, for example).
   */
  event<T extends string>(
    type: T,
    botEvents: string[],
    listener: Middleware<SlackEventMiddlewareArgs<T>>,
  ): void {
    for (const e of botEvents) this.inventory.botEvents.add(e);
    this.app.event(type, listener);
  }

  action(actionId: string, listener: Parameters<App['action']>[1]): void {
    this.inventory.actions.add(actionId);
    this.app.action(actionId, listener);
  }

  /** Message and global shortcuts, by callback_id. */
  shortcut(callbackId: string, listener: Parameters<App['shortcut']>[1]): void {
    this.inventory.shortcuts.add(callbackId);
    this.app.shortcut(callbackId, listener);
  }

  view(callbackId: string, listener: Parameters<App['view']>[1]): void {
    this.inventory.views.add(callbackId);
    this.app.view(callbackId, listener);
  }
}
