// Test helper: the Block Kit limits Slack enforces (a message breaking one is rejected with
// invalid_blocks), checked on rendered output so a huge title or alarm storm cannot break a card.
import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';

type Loose = Record<string, unknown> & { text?: { text: string } };

function len(text: unknown): number {
  return typeof text === 'string' ? text.length : 0;
}

export function expectWithinBlockKitLimits(blocks: readonly KnownBlock[]): void {
  expect(blocks.length).toBeLessThanOrEqual(50);
  for (const block of blocks as unknown as Loose[]) {
    switch (block.type) {
      case 'header':
        expect(len(block.text?.text)).toBeLessThanOrEqual(150);
        expect(len(block.text?.text)).toBeGreaterThan(0);
        break;
      case 'section': {
        if (block.text) expect(len(block.text.text)).toBeLessThanOrEqual(3000);
        const fields = (block.fields as Array<{ text: string }> | undefined) ?? [];
        expect(fields.length).toBeLessThanOrEqual(10);
        for (const f of fields) expect(len(f.text)).toBeLessThanOrEqual(2000);
        expect(block.text !== undefined || fields.length > 0).toBe(true);
        break;
      }
      case 'context': {
        const elements = block.elements as Array<{ text: string }>;
        expect(elements.length).toBeGreaterThan(0);
        expect(elements.length).toBeLessThanOrEqual(10);
        for (const e of elements) expect(len(e.text)).toBeLessThanOrEqual(3000);
        break;
      }
      case 'actions': {
        const elements = block.elements as Loose[];
        expect(elements.length).toBeGreaterThan(0);
        expect(elements.length).toBeLessThanOrEqual(25);
        const ids = elements.map((e) => e.action_id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const e of elements) expectElementLimits(e);
        break;
      }
    }
  }
}

function expectElementLimits(e: Loose): void {
  if (e.type === 'button') {
    expect(len(e.text?.text)).toBeLessThanOrEqual(75);
    expect(len(e.value)).toBeLessThanOrEqual(2000);
  }
  if (e.type === 'overflow') {
    const options = e.options as Array<{ text: { text: string }; value: string }>;
    expect(options.length).toBeGreaterThanOrEqual(1);
    expect(options.length).toBeLessThanOrEqual(5);
    for (const o of options) {
      expect(len(o.text.text)).toBeLessThanOrEqual(75);
      expect(len(o.value)).toBeLessThanOrEqual(150);
    }
  }
  const confirm = e.confirm as Record<string, { text: string }> | undefined;
  if (confirm) {
    expect(len(confirm.title?.text)).toBeLessThanOrEqual(100);
    expect(len(confirm.text?.text)).toBeLessThanOrEqual(300);
    expect(len(confirm.confirm?.text)).toBeLessThanOrEqual(30);
    expect(len(confirm.deny?.text)).toBeLessThanOrEqual(30);
  }
}

/** Every action_id in the rendered blocks, in order. */
export function actionIds(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((b) =>
    b.type === 'actions' ? b.elements.map((e) => ('action_id' in e ? String(e.action_id) : '')) : [],
  );
}

/** All visible text of the blocks (every `text` string), one per line, for content assertions. */
export function allText(blocks: readonly KnownBlock[]): string {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') out.push(value);
        else walk(value);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}
