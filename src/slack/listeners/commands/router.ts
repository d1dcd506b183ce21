// `/opsbot <subcommand> [args]`: one slash command, a table of subcommands.
// Later capabilities add rows to the table; help is rendered from it, so it cannot go stale.

export interface CommandInvocation {
  userId: string;
  channelId: string;
  args: string[];
  rawText: string;
  isStaff: boolean;
}

export interface CommandReply {
  text: string;
  blocks?: unknown[];
}

export interface Subcommand {
  name: string;
  usage: string;
  summary: string;
  /** Staff-only commands are refused (and hidden from help) for customers in shared channels. */
  staffOnly: boolean;
  run(invocation: CommandInvocation): CommandReply | Promise<CommandReply>;
}

export const COMMAND = '/opsbot';

export function tokenize(text: string): string[] {
  // Quoted phrases stay together: /opsbot silence cluster="sjc obj" 1h "planned work"
  return [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

export function renderHelp(subcommands: Subcommand[], isStaff: boolean, lead?: string): CommandReply {
  const visible = subcommands.filter((s) => isStaff || !s.staffOnly);
  const lines = [
    `• \`${COMMAND} help\` — this list`,
    ...visible.map((s) => `• \`${COMMAND} ${s.usage}\` — ${s.summary}`),
  ];
  const text = [lead, '*opsbot commands*', ...lines].filter(Boolean).join('\n');
  return { text };
}

export class CommandRouter {
  private readonly table = new Map<string, Subcommand>();

  constructor(subcommands: Subcommand[] = []) {
    for (const s of subcommands) this.add(s);
  }

  add(subcommand: Subcommand): void {
    if (this.table.has(subcommand.name)) throw new Error(`subcommand ${subcommand.name} defined twice`);
    this.table.set(subcommand.name, subcommand);
  }

  list(): Subcommand[] {
    return [...this.table.values()];
  }

  async dispatch(base: Omit<CommandInvocation, 'args'>): Promise<CommandReply> {
    const [name = 'help', ...args] = tokenize(base.rawText.trim());
    const key = name.toLowerCase();
    if (key === 'help' || key === '-h' || key === '--help') return renderHelp(this.list(), base.isStaff);
    const subcommand = this.table.get(key);
    if (!subcommand || (subcommand.staffOnly && !base.isStaff)) {
      // Customers are not told which staff commands exist: the same answer as a typo.
      return renderHelp(this.list(), base.isStaff, `I don't know \`${truncate(name)}\`. Try one of these:`);
    }
    return subcommand.run({ ...base, args });
  }
}

function truncate(text: string): string {
  const clean = text.replace(/[`\n]/g, '');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
