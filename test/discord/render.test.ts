import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import type { SourcedFigure, Story } from '../../src/core/types.js';
import { UserError } from '../../src/discord/command.js';
import { requireGuildId, respond } from '../../src/discord/respond.js';
import {
  enforceEmbedLimits,
  escapeText,
  feedLine,
  figureLine,
  fitEmbeds,
  joinLines,
  LIMITS,
  neutraliseMentions,
  safeUrl,
  plainTimeTags,
  storyEmbed,
  storyLine,
  truncate,
  truncateContent,
} from '../../src/discord/render.js';

const NOW = new Date('2026-01-15T12:00:00.000Z');

function figure(over: Partial<SourcedFigure> = {}): SourcedFigure {
  return {
    value: 1400,
    qualifier: 'more_than',
    unit: 'people',
    metric: 'nationals_registered',
    label: 'nationals registered',
    quote: 'more than 1,400 nationals registered',
    outlet: 'Khmer Times',
    outletKind: 'local_media',
    link: 'https://www.khmertimeskh.com/a1',
    itemId: 'i1',
    date: '2026-01-14T08:00:00.000Z',
    ...over,
  };
}

function story(over: Partial<Story> = {}): Story {
  return {
    id: 'st1',
    title: 'Thousands leave scam compounds',
    summary: 'People walked out of compounds in Sihanoukville.',
    itemIds: ['i1', 'i2'],
    outlets: ['Khmer Times', 'The Guardian'],
    reports: [
      { itemId: 'i1', feed: 'f1', outlet: 'Khmer Times', outletKind: 'local_media', title: 'Exodus from compounds', link: 'https://www.khmertimeskh.com/a1', published: '2026-01-14T08:00:00.000Z', seenAt: '2026-01-14T09:00:00.000Z' },
      { itemId: 'i2', feed: 'f2', outlet: 'The Guardian', outletKind: 'international_media', title: 'Workers flee', link: 'https://www.theguardian.com/b2', published: null, seenAt: '2026-01-14T10:00:00.000Z' },
    ],
    figures: [figure()],
    firstSeen: '2026-01-14T09:00:00.000Z',
    lastSeen: '2026-01-14T10:00:00.000Z',
    version: 2,
    ...over,
  };
}

function total(e: APIEmbed): number {
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.author?.name.length ?? 0)
    + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}

describe('text safety', () => {
  it('breaks mass mentions and user/role/channel mentions so they cannot ping', () => {
    const out = neutraliseMentions('hi @everyone and @here, <@123> <@!45> <@&678> <#9>');
    expect(out).not.toMatch(/@everyone|@here|<@\d|<@!|<@&|<#\d/u);
    expect(out.replace(/\u200b/gu, '')).toBe('hi @everyone and @here, <@123> <@!45> <@&678> <#9>');
  });

  it('escapes markdown so feed text renders literally, in any script', () => {
    expect(escapeText('*bold* _it_ `code` ~~s~~ ||spoiler|| [x](https://e.com)')).toBe(
      '\\*bold\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\[x\\](https://e.com)',
    );
    expect(escapeText('# Heading\n- item\n1. num\n> quote')).toBe('\\# Heading\n\\- item\n1\\. num\n\\> quote');
    expect(escapeText('កម្ពុជា ค่าย 柬埔寨')).toBe('កម្ពុជា ค่าย 柬埔寨');
    expect(escapeText('safe\u202Egnp.exe\u0007 line\nnext\ttab')).toBe('safegnp.exe line\nnext\ttab');
  });

  it('escapes and neutralises together: <@1> stays inert after escaping', () => {
    const out = escapeText('<@123> @everyone');
    expect(out).not.toMatch(/<@|@everyone/u);
  });

  it('only ever links http(s) URLs', () => {
    expect(safeUrl('https://example.com/a(b)')).toBe('https://example.com/a%28b%29');
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('data:text/html,hi')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl(null)).toBeNull();
    expect(safeUrl('https://user:pw@example.com/@everyone')).toBe('https://example.com/%40everyone');
  });

  it('drops unsafe links from stories and figure lines but keeps the text', () => {
    const embed = storyEmbed(story({ reports: [{ ...story().reports[0]!, link: 'javascript:alert(1)' }] }));
    expect(embed.url).toBeUndefined();
    expect(JSON.stringify(embed)).not.toContain('javascript:');
    const line = figureLine(figure({ link: 'data:text/html,x' }));
    expect(line).toBe('more than 1,400 people — nationals registered (Khmer Times, local media)');
  });
});

describe('truncate and joinLines', () => {
  it('shortens with an ellipsis and never splits a surrogate pair or leaves a dangling escape', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('ab\\*cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('says how many lines were left out', () => {
    const out = joinLines(['one', 'two', 'three', 'four'], 20);
    expect(out.length).toBeLessThanOrEqual(20);
    expect(out).toMatch(/^one\ntwo\n… and 2 more$/u);
  });

  it('fits message content into 2,000 characters', () => {
    expect(truncateContent('x'.repeat(5000)).length).toBeLessThanOrEqual(LIMITS.content);
  });
});

describe('storyEmbed', () => {
  it('links the title to the lead report and credits figures with qualifier, outlet and kind', () => {
    const embed = storyEmbed(story());
    expect(embed.title).toBe('Thousands leave scam compounds');
    expect(embed.url).toBe('https://www.khmertimeskh.com/a1');
    expect(embed.description).toBe('People walked out of compounds in Sihanoukville.');
    expect(embed.timestamp).toBe('2026-01-14T10:00:00.000Z');
    const figures = embed.fields?.find((f) => f.name === 'Key figures');
    expect(figures?.value).toBe('more than 1,400 people — nationals registered ([Khmer Times](https://www.khmertimeskh.com/a1), local media)');
    const reported = embed.fields?.find((f) => f.name === 'Reported by')?.value ?? '';
    expect(reported).toContain('**Khmer Times** (local media): [Exodus from compounds](https://www.khmertimeskh.com/a1)');
    expect(reported).toContain('**The Guardian** (international media): [Workers flee](https://www.theguardian.com/b2) · 14 Jan 2026');
    // A footer cannot show a Discord time tag: a date, which stays true, rather than "just now".
    expect(embed.footer?.text).toBe('Story st1 · 2 reports from 2 outlets · first seen 14 Jan 2026');
    const single = story({ itemIds: ['i1'], outlets: ['Khmer Times'], reports: story().reports.slice(0, 1) });
    expect(storyEmbed(single).footer?.text).toMatch(/^Story st1 · 1 report from 1 outlet · /u);
  });

  it('escapes hostile feed text in title, summary, figures and outlets', () => {
    const evil = story({
      title: '@everyone *click* <@&1>',
      summary: '[free](javascript:alert(1)) @here',
      outlets: ['<@1>'],
      figures: [figure({ label: '@everyone', outlet: '**Bold**' })],
    });
    const embed = storyEmbed(evil);
    const text = JSON.stringify(embed) + storyLine(evil, { now: NOW });
    expect(text).not.toMatch(/@everyone|@here|<@&1|<@1/u);
    expect(embed.title).toBe('@\u200beveryone \\*click\\* \\<\u200b@&1\\>');
    // The brackets are escaped, so "[free](javascript:…)" is shown as text and is never a link.
    expect(embed.description).toBe('\\[free\\](javascript:alert(1)) @\u200bhere');
    expect(storyLine(evil, { now: NOW })).toContain('— \\<\u200b@1\\> ·');
  });

  it('stays within every Discord limit for huge stories', () => {
    const big = story({
      title: 'T'.repeat(1000),
      summary: 'S'.repeat(10_000),
      reports: Array.from({ length: 300 }, (_, i) => ({ ...story().reports[0]!, itemId: `i${i}`, title: `Report ${i} ${'x'.repeat(100)}` })),
      figures: Array.from({ length: 200 }, (_, i) => figure({ value: i + 1, outlet: `Outlet ${i}` })),
    });
    const embed = storyEmbed(big);
    expect(embed.title!.length).toBeLessThanOrEqual(LIMITS.title);
    expect(embed.description!.length).toBeLessThanOrEqual(LIMITS.description);
    for (const f of embed.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    expect(total(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(embed.fields?.find((f) => f.name === 'Reported by')?.value).toMatch(/… and \d+ more reports$/u);
  });

  it('lists a story line for /latest with the link, outlets and id', () => {
    const line = storyLine(story(), { now: NOW });
    // A Discord time tag (lastSeen 2026-01-14T10:00Z): each reader sees it in their zone, and it never goes stale.
    expect(line).toBe('**[Thousands leave scam compounds](https://www.khmertimeskh.com/a1)** — Khmer Times, The Guardian · <t:1768384800:R> · `st1`');
    expect(plainTimeTags(line)).toContain('· 2026-01-14 10:00 UTC ·');
  });
});

describe('enforceEmbedLimits', () => {
  it('trims every part and then the whole embed to 6,000 characters without throwing', () => {
    const embed: APIEmbed = {
      title: 'a'.repeat(300),
      description: 'b'.repeat(5000),
      url: 'javascript:void(0)',
      footer: { text: 'c'.repeat(3000) },
      author: { name: 'd'.repeat(300), url: 'data:x' },
      fields: Array.from({ length: 40 }, (_, i) => ({ name: `n${i}`.repeat(100), value: 'v'.repeat(2000) })),
    };
    const out = enforceEmbedLimits(embed);
    expect(out.title!.length).toBe(LIMITS.title);
    expect(out.footer!.text.length).toBeLessThanOrEqual(LIMITS.footer);
    expect(out.author!.name.length).toBeLessThanOrEqual(LIMITS.authorName);
    expect(out.author!.url).toBeUndefined();
    expect(out.url).toBeUndefined();
    expect(out.fields!.length).toBeLessThanOrEqual(LIMITS.fields);
    for (const f of out.fields!) {
      expect(f.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
    }
    expect(total(out)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(out.description!.length).toBeGreaterThanOrEqual(300);
  });

  it('drops fields with empty names or values, which Discord would reject', () => {
    const out = enforceEmbedLimits({ title: 't', fields: [{ name: ' ', value: 'x' }, { name: 'ok', value: '' }, { name: 'kept', value: 'y' }] });
    expect(out.fields).toEqual([{ name: 'kept', value: 'y' }]);
  });

  it('keeps attachment:// images (the chart) and drops unsafe image URLs', () => {
    expect(enforceEmbedLimits({ title: 't', image: { url: 'attachment://figures-people_held.png' } }).image?.url).toBe('attachment://figures-people_held.png');
    expect(enforceEmbedLimits({ title: 't', image: { url: 'javascript:x' } }).image).toBeUndefined();
  });

  it('keeps several embeds within 6,000 characters per message', () => {
    const embeds = Array.from({ length: 12 }, () => ({ description: 'x'.repeat(2500) }));
    const out = fitEmbeds(embeds);
    expect(out.length).toBe(2);
  });
});

describe('feedLine', () => {
  it('shows a search feed’s query decoded, with health, and nothing that could break the code span', () => {
    const state = {
      source: 'x', title: null, etag: null, lastModified: null, lastAttempt: '2026-01-15T11:00:00.000Z', lastSuccess: null,
      consecutiveFailures: 2, lastError: 'HTTP 500 @everyone', nextDue: null, primed: false, failureNoticeSent: false,
    };
    const line = feedLine('https://news.google.com/rss/search?q=%E0%B8%81%E0%B8%B1%E0%B8%A1&x=%60%0A', 'Google News', state, NOW);
    expect(line).toContain('https://news.google.com/rss/search?q=กัม&x=');
    expect(line).toContain('failing: 2 failures in a row, last error: HTTP 500 @\u200beveryone; never succeeded');
    expect(line.split('\n')).toHaveLength(2);
    expect(feedLine('https://a.example/feed', 'A', undefined, NOW)).toContain('not polled yet');
  });
});

describe('respond', () => {
  /** A recording stand-in for the two reply paths of an interaction. */
  function recorder(deferred: boolean) {
    const calls: Array<{ via: 'reply' | 'editReply'; body: Record<string, unknown> }> = [];
    const interaction = {
      deferred,
      replied: false,
      reply: async (body: unknown) => void calls.push({ via: 'reply', body: body as Record<string, unknown> }),
      editReply: async (body: unknown) => void calls.push({ via: 'editReply', body: body as Record<string, unknown> }),
    };
    return { interaction: interaction as unknown as Parameters<typeof respond>[0], calls };
  }

  it('replies (ephemeral when asked) before a defer, edits the deferred reply after one, never parsing mentions', async () => {
    const fresh = recorder(false);
    await respond(fresh.interaction, { content: 'x'.repeat(3000), ephemeral: true });
    expect(fresh.calls[0]?.via).toBe('reply');
    expect(fresh.calls[0]?.body).toMatchObject({ flags: 64, allowedMentions: { parse: [] } });
    expect(String(fresh.calls[0]?.body['content']).length).toBeLessThanOrEqual(LIMITS.content);

    const deferred = recorder(true);
    await respond(deferred.interaction, { embeds: [{ title: 't' }], ephemeral: true });
    expect(deferred.calls[0]?.via).toBe('editReply');
    expect(deferred.calls[0]?.body).toEqual({ allowedMentions: { parse: [] }, embeds: [{ title: 't' }] });
  });

  it('refuses commands used outside a server', () => {
    expect(() => requireGuildId({ guildId: null })).toThrow(UserError);
    expect(requireGuildId({ guildId: '1' })).toBe('1');
  });
});
