import { describe, expect, it } from 'vitest';
import {
  bold,
  code,
  doc,
  emoji,
  fromMrkdwn,
  link,
  mention,
  msg,
  plainText,
  withNames,
} from '../../../src/domain/message.js';
import { docToAdf } from '../../../src/integrations/jira/adf.js';
import { toMrkdwn } from '../../../src/slack/views/render-message.js';

describe('structured messages', () => {
  const said = msg(
    emoji('warning'),
    ' ',
    mention('U04ABC'),
    ' set ',
    bold('Sev1'),
    ': see ',
    link('https://grafana.example/d/1?a=1&b=2', 'the graph'),
  );

  it('render to mrkdwn with real mentions and links', () => {
    expect(toMrkdwn(said)).toBe(
      ':warning: <@U04ABC> set *Sev1*: see <https://grafana.example/d/1?a=1&b=2|the graph>',
    );
  });

  it('escape what people typed, so <!here> or a disguised link shows as text', () => {
    const typed = msg('reason: <!here> <https://evil.example|this> & more');
    expect(toMrkdwn(typed)).toBe('reason: &lt;!here&gt; &lt;https://evil.example|this&gt; &amp; more');
    expect(toMrkdwn(msg(link('https://x.example', 'a|b <c>')))).toBe('<https://x.example|a/b &lt;c&gt;>');
    expect(toMrkdwn(msg(code('rm `x`')))).toBe("`rm 'x'`");
  });

  it('read as plain text with @Display Name once names are known, and @id without', () => {
    expect(plainText(said)).toBe(
      ' @U04ABC set Sev1: see the graph (https://grafana.example/d/1?a=1&b=2)'.trimStart(),
    );
    expect(plainText(withNames(said, new Map([['U04ABC', 'Ana Lopez']])))).toBe(
      '@Ana Lopez set Sev1: see the graph (https://grafana.example/d/1?a=1&b=2)',
    );
  });

  it('read Slack mrkdwn that a person wrote back into runs (mentions, links, escapes undone)', () => {
    const runs = fromMrkdwn(
      'ask <@U1> about <https://x.example/a|the graph> &amp; <#C1|ops> <!here> &lt;tag&gt;',
    );
    expect(runs).toEqual([
      { text: 'ask ' },
      { mention: 'U1' },
      { text: ' about ' },
      { link: 'https://x.example/a', label: 'the graph' },
      { text: ' & ' },
      { text: '#ops' },
      { text: ' ' },
      { text: '@here' },
      { text: ' <tag>' },
    ]);
    expect(toMrkdwn(fromMrkdwn('a &amp; <@U1> <https://x.example|y>'))).toBe(
      'a &amp; <@U1> <https://x.example|y>',
    );
  });

  it('render a neutral document as ADF with links as marks and mentions as @names', () => {
    const adf = docToAdf(
      doc({
        paragraph: msg(
          'From Slack, ',
          { mention: 'U1', name: 'Ana' },
          ': ',
          link('https://x.example', 'graph'),
          '\nline 2',
        ),
      }),
    );
    expect(adf).toEqual({
      type: 'doc',
      version: 1,
      content: [
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: 'From Slack, ' },
            { type: 'text', text: '@Ana' },
            { type: 'text', text: ': ' },
            { type: 'text', text: 'graph', marks: [{ type: 'link', attrs: { href: 'https://x.example' } }] },
            { type: 'hardBreak' },
            { type: 'text', text: 'line 2' },
          ],
        },
      ],
    });
  });
});
