// A message several capabilities contribute to (the shift handoff lists running response clocks;
// the weekly digest carries SLA, outreach and on-call load) without the owner importing them:
// each contributor adds a section once at install, the owner renders them in install order.
import type { Message } from '../domain/message.js';

export type Section<Ctx> = (ctx: Ctx) => Message | undefined;

export class Sections<Ctx> {
  private readonly sections: Array<{ name: string; render: Section<Ctx> }> = [];

  add(name: string, render: Section<Ctx>): void {
    if (this.sections.some((s) => s.name === name)) throw new Error(`section "${name}" is added twice`);
    this.sections.push({ name, render });
  }

  /** The sections with something to say, in the order they were added. */
  render(ctx: Ctx): Array<{ name: string; message: Message }> {
    return this.sections.flatMap(({ name, render }) => {
      const message = render(ctx);
      return message ? [{ name, message }] : [];
    });
  }
}
