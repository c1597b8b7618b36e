// The generator the durability tests rely on: every event is relevant and becomes its own story.
import { describe, expect, it } from 'vitest';
import { extractFigures } from '../../src/core/figures.js';
import { normaliseEntry } from '../../src/core/item.js';
import { createRelevanceScorer } from '../../src/core/relevance.js';
import { StoryClusterer } from '../../src/core/stories.js';
import { cambodiaScamCompounds } from '../../src/topics/cambodia-scam-compounds.js';
import { manyEvents } from '../support/many-events.js';

const relevance = createRelevanceScorer(cambodiaScamCompounds);

function clusterAll(spacingDays: number): Set<string> {
  const clusterer = new StoryClusterer({ windowDays: 7 });
  const latest = new Date('2026-03-10T00:00:00Z');
  const stories = new Set<string>();
  for (const a of manyEvents(120, { latest, spacingDays })) {
    const item = normaliseEntry(
      { guid: a.guid, title: a.title, link: a.link, content: a.body, pubDate: a.pubDate },
      { source: 'https://many.example/feed.xml', outlet: 'Many', outletKind: 'unknown' },
    );
    const verdict = relevance({ title: item.title, text: item.text });
    expect(verdict.relevant, `${a.title}: ${JSON.stringify(verdict)}`).toBe(true);
    const assignment = clusterer.assign({
      itemId: item.id,
      title: item.title,
      text: item.text,
      outlet: item.outlet,
      published: item.published,
      seenAt: latest.toISOString(),
      figures: extractFigures(item.text),
    });
    expect(assignment.isNew, `${a.title} joined ${assignment.storyId}: ${assignment.reasons.join('; ')}`).toBe(true);
    stories.add(assignment.storyId);
  }
  return stories;
}

describe('manyEvents', () => {
  it('gives distinct guids, links and titles, and continues without overlap from an offset', () => {
    const first = manyEvents(60);
    const more = manyEvents(60, { offset: 60 });
    const all = [...first, ...more];
    for (const key of ['guid', 'link', 'title'] as const) expect(new Set(all.map((a) => a[key])).size).toBe(120);
    expect(manyEvents(3, { offset: 60 }).map((a) => a.guid)).toEqual(more.slice(0, 3).map((a) => a.guid));
  });

  it.each([2, 3, 8])('every event is relevant and its own story with dates %i days apart', (spacingDays) => {
    expect(clusterAll(spacingDays).size).toBe(120);
  });
});
