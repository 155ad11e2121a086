import { describe, expect, it } from 'vitest';
import type { Appeal } from '../../../domain/appeals/appeal';
import { AppealSettingsSchema } from '../../../domain/appeals/settings';
import { localizeMessage } from '../../../domain/shared/localized';
import {
  BboxSchema,
  FeedQuerySchema,
  inFeed,
  issueReportFeature,
  issueReportFeed,
} from '../../../functions/appeals/geojson';

// The GeoJSON feed's pure parts: the query's bbox, the filter, and the exact shape of a feature.

const settings = AppealSettingsSchema.parse({
  units: [{ id: 'roads', names: { uk: 'Дороги', en: 'Roads' }, head: { issuer: 'i', subject: 'h' } }],
  categories: [
    {
      id: 'lights',
      names: { uk: 'Освітлення', en: 'Street lights' },
      unitId: 'roads',
      kinds: ['issue_report'],
    },
  ],
});

const report = (overrides: Partial<Appeal> = {}): Appeal => ({
  id: '01JR0000000000000000000001',
  communityId: 'rec',
  kind: 'issue_report',
  number: '2026-000007',
  categoryId: 'lights',
  unitId: 'roads',
  author: { issuer: 'i', subject: 'author' },
  authorKey: 'a'.repeat(64),
  title: 'Broken street light',
  text: 'Out since Monday.',
  location: { lat: 50.45, lon: 30.52 },
  status: 'in_progress',
  timeline: [
    { status: 'submitted', at: '2026-11-20T08:00:00.000Z' },
    { status: 'registered', at: '2026-11-20T08:00:00.000Z' },
    { status: 'assigned', at: '2026-11-20T08:00:00.000Z' },
    { status: 'in_progress', at: '2026-11-21T09:30:00.000Z' },
  ],
  submittedAt: '2026-11-20T08:00:00.000Z',
  registeredAt: '2026-11-20T08:00:00.000Z',
  registeredOn: '2026-11-20',
  dueOn: '2026-12-04',
  publication: { visibility: 'published', publishedAt: '2026-11-20T09:00:00.000Z' },
  version: 3,
  ...overrides,
});

describe('a feature', () => {
  it('is a Point at [lon, lat] with the public properties, and nothing of the author', () => {
    const item = report({ photoUrl: 'https://example.org/light.jpg' });
    if (!inFeed(item, {})) throw new Error('a located report is in the feed');
    const feature = issueReportFeature(item, settings);
    expect(feature).toEqual({
      type: 'Feature',
      id: item.id,
      geometry: { type: 'Point', coordinates: [30.52, 50.45] },
      properties: {
        id: item.id,
        number: '2026-000007',
        title: 'Broken street light',
        categoryId: 'lights',
        category: { uk: 'Освітлення', en: 'Street lights' },
        status: 'in_progress',
        statusLabel: { uk: 'Розглядається', en: 'In progress' },
        registeredAt: '2026-11-20T08:00:00.000Z',
        updatedAt: '2026-11-21T09:30:00.000Z',
        photoUrl: 'https://example.org/light.jpg',
        url: `/v1/communities/rec/appeals/public/${item.id}`,
      },
    });
    const shown = JSON.stringify(feature);
    expect(shown).not.toContain('author');
    expect(shown).not.toContain(item.authorKey);
  });

  it('names a category removed from the settings by its id', () => {
    const item = report({ categoryId: 'gone' });
    if (!inFeed(item, {})) throw new Error('a located report is in the feed');
    expect(issueReportFeature(item, settings).properties.category).toEqual({ uk: 'gone', en: 'gone' });
  });
});

describe('the filter', () => {
  const box = { west: 30.5, south: 50.4, east: 30.6, north: 50.5 };

  it.each([
    ['inside', { lat: 50.45, lon: 30.52 }, true],
    ['on the west edge', { lat: 50.45, lon: 30.5 }, true],
    ['on the north-east corner', { lat: 50.5, lon: 30.6 }, true],
    ['east of it', { lat: 50.45, lon: 30.61 }, false],
    ['south of it', { lat: 50.39, lon: 30.52 }, false],
  ] as const)('takes a report %s the box: %s', (_, location, expected) => {
    expect(inFeed(report({ location }), { bbox: box })).toBe(expected);
  });

  it('takes the asked status only, and never a report without a place', () => {
    expect(inFeed(report(), { status: 'in_progress' })).toBe(true);
    expect(inFeed(report(), { status: 'answered' })).toBe(false);
    const { location: _, ...placeless } = report();
    expect(inFeed(placeless as Appeal, {})).toBe(false);
  });

  it('builds a FeatureCollection of the page, in its order, with the cursor as a foreign member', () => {
    const first = report({ id: '01JR0000000000000000000002' });
    const outside = report({ id: '01JR0000000000000000000003', location: { lat: 50.9, lon: 30.9 } });
    const second = report();
    const feed = issueReportFeed([first, outside, second], settings, { bbox: box }, 'next-page');
    expect(feed.type).toBe('FeatureCollection');
    expect(feed.features.map((feature) => feature.id)).toEqual([first.id, second.id]);
    expect(feed.cursor).toBe('next-page');
    expect(issueReportFeed([], settings, {})).toEqual({ type: 'FeatureCollection', features: [] });
  });
});

describe('the bbox query', () => {
  it('reads west,south,east,north', () => {
    expect(BboxSchema.parse('30.2,50.3,30.8,50.6')).toEqual({
      west: 30.2,
      south: 50.3,
      east: 30.8,
      north: 50.6,
    });
    expect(BboxSchema.parse('-180,-90,180,90')).toEqual({ west: -180, south: -90, east: 180, north: 90 });
  });

  it.each([
    ['three numbers', '30.2,50.3,30.8', 'four numbers', 'чотири числа'],
    ['a word', '30.2,50.3,east,50.6', 'four numbers', 'чотири числа'],
    ['an empty part', '30.2,,30.8,50.6', 'four numbers', 'чотири числа'],
    ['a latitude beyond the pole', '30.2,50.3,30.8,91', 'outside the world', 'за межі світу'],
    ['west east of east', '30.8,50.3,30.2,50.6', 'west must not exceed east', 'захід має бути'],
    ['south north of north', '30.2,50.6,30.8,50.3', 'west must not exceed east', 'південь'],
  ])('refuses %s, saying why in uk and en', (_, raw, en, uk) => {
    const parsed = FeedQuerySchema.safeParse({ bbox: raw });
    expect(parsed.success).toBe(false);
    const issue = parsed.error?.issues[0];
    expect(issue?.path).toEqual(['bbox']);
    expect(localizeMessage(issue?.message ?? '', 'en')).toContain(en);
    expect(localizeMessage(issue?.message ?? '', 'uk')).toContain(uk);
  });

  it('pages by 200 unless asked, 1000 at most', () => {
    expect(FeedQuerySchema.parse({}).limit).toBe(200);
    expect(FeedQuerySchema.parse({ limit: '1000' }).limit).toBe(1000);
    expect(FeedQuerySchema.safeParse({ limit: '1001' }).success).toBe(false);
  });
});
