import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonOf, startTestRuntime, type TestRuntime } from '../../support/runtime';
import { call, consultationsOf, createCommunity, createConsultation, residentOf } from './support';

/**
 * A revised draft over HTTP: every comment stays on its section or paragraph,
 * or moves to the nearest surviving ancestor when its block is removed; the
 * earlier version is kept and each comment keeps the version it was made on.
 */

let api: TestRuntime;
const COMMUNITY = 'revise';
const base = consultationsOf(COMMUNITY);
let council: string;
let resident: string;

const VERSION_1 = [
  'An introduction before any heading.',
  '# Transport {#transport}',
  'Buses every ten minutes on the main routes.',
  'A protected cycle lane on Shevchenka street.',
  '## Night buses',
  'Night buses on Fridays and Saturdays.',
  '# Parking {#parking}',
  'Paid parking in the centre from 8:00 to 20:00.',
].join('\n\n');

/** The introduction and the night-bus subsection (heading and paragraph) are gone; one paragraph is reworded. */
const VERSION_2 = [
  '# Transport {#transport}',
  'Buses every ten minutes on the main routes.',
  'A protected cycle lane on Shevchenka street, in both directions.',
  '# Parking {#parking}',
  'Paid parking in the centre from 8:00 to 20:00.',
].join('\n\n');

beforeAll(async () => {
  api = await startTestRuntime();
  ({ council } = await createCommunity(api, COMMUNITY));
  resident = await residentOf(api, COMMUNITY, 'reader');
});

afterAll(async () => {
  await api.stop();
});

const get = async (path: string) => jsonOf(await api.call(path, call(undefined, 'GET')));

describe('publishing a revised draft', () => {
  it('keeps every comment attached to its block, or to the nearest surviving ancestor of a removed one', async () => {
    // Prepare: a comment on every kind of block of version 1.
    const consultation = await createConsultation(api, COMMUNITY, council, {
      open: true,
      markdown: VERSION_1,
    });
    const item = `${base}/${consultation.id}`;
    const blocks = consultation.draft.blocks;
    const [intro, buses, lane, nightBuses, parking] = blocks.filter((block) => block.kind === 'paragraph');
    const nightSection = blocks.find((block) => block.kind === 'section' && block.parentId === 'transport');
    const comment = async (target: Record<string, unknown> | undefined, replyTo?: string) => {
      const response = await api.call(
        `${item}/comments`,
        call(resident, 'POST', {
          stance: 'for',
          text: 'A comment.',
          ...(target ? { target } : {}),
          ...(replyTo ? { replyTo } : {}),
        }),
      );
      expect(response.status).toBe(201);
      return (await jsonOf(response)).id as string;
    };
    const on = (kind: string, id: string | undefined) => comment({ kind, id });
    const ids = {
      buses: await on('paragraph', buses?.id),
      lane: await on('paragraph', lane?.id),
      nightBuses: await on('paragraph', nightBuses?.id),
      nightSection: await on('section', nightSection?.id),
      intro: await on('paragraph', intro?.id),
      parking: await on('paragraph', parking?.id),
      transport: await on('section', 'transport'),
    };
    const reply = await comment(undefined, ids.nightBuses);

    // Act
    const revised = await api.call(`${item}/revisions`, call(council, 'POST', { markdown: VERSION_2 }));

    // Assess: the blocks that survived kept their ids, the comments their places.
    expect(revised.status).toBe(201);
    const version2 = await jsonOf(revised);
    const kept = new Set(version2.draft.blocks.map((block: { id: string }) => block.id));
    expect(version2).toMatchObject({ currentVersion: 2, versions: [{ version: 1 }, { version: 2 }] });
    expect([buses?.id, lane?.id, parking?.id].every((id) => kept.has(id))).toBe(true);
    expect([intro?.id, nightBuses?.id, nightSection?.id].some((id) => kept.has(id))).toBe(false);

    const view = (id: string) => get(`${item}/comments/${id}`);
    const expected: [string, unknown, unknown, string | null][] = [
      [ids.buses, { kind: 'paragraph', id: buses?.id }, { kind: 'paragraph', id: buses?.id }, 'transport'],
      [ids.lane, { kind: 'paragraph', id: lane?.id }, { kind: 'paragraph', id: lane?.id }, 'transport'],
      [
        ids.nightBuses,
        { kind: 'paragraph', id: nightBuses?.id },
        { kind: 'section', id: 'transport' },
        'transport',
      ],
      [
        ids.nightSection,
        { kind: 'section', id: nightSection?.id },
        { kind: 'section', id: 'transport' },
        'transport',
      ],
      [ids.intro, { kind: 'paragraph', id: intro?.id }, { kind: 'whole' }, null],
      [
        ids.parking,
        { kind: 'paragraph', id: parking?.id },
        { kind: 'paragraph', id: parking?.id },
        'parking',
      ],
      [
        ids.transport,
        { kind: 'section', id: 'transport' },
        { kind: 'section', id: 'transport' },
        'transport',
      ],
      [reply, { kind: 'paragraph', id: nightBuses?.id }, { kind: 'section', id: 'transport' }, 'transport'],
    ];
    for (const [id, target, attachedTo, sectionId] of expected) {
      expect(await view(id), id).toMatchObject({ target, attachedTo, sectionId, draftVersion: 1 });
    }

    const listed = async (section: string) =>
      (await get(`${item}/comments?section=${section}`)).items.flatMap(
        (thread: { id: string; replies: { id: string }[] }) => [
          thread.id,
          ...thread.replies.map((r) => r.id),
        ],
      );
    expect((await listed('transport')).sort()).toEqual(
      [ids.buses, ids.lane, ids.nightBuses, ids.nightSection, ids.transport, reply].sort(),
    );
    expect(await listed('parking')).toEqual([ids.parking]);
    expect(await listed('whole')).toEqual([ids.intro]);
    // Counts come from the stream tally's counters.
    await api.runtime.drain();
    expect((await get(item)).counts).toMatchObject({
      all: { total: 8 },
      whole: { total: 1 },
      bySection: { transport: { total: 6 }, parking: { total: 1 } },
    });

    // Versions are kept; new comments are made on the current one only.
    const first = await get(`${item}/versions/1`);
    expect(first.blocks.map((block: { id: string }) => block.id)).toContain(nightBuses?.id);
    expect((await api.call(`${item}/versions/3`)).status).toBe(404);
    const onRemoved = await api.call(
      `${item}/comments`,
      call(resident, 'POST', {
        stance: 'for',
        text: 'Late',
        target: { kind: 'paragraph', id: nightBuses?.id },
      }),
    );
    expect(onRemoved.status).toBe(422);
    expect(await jsonOf(onRemoved)).toMatchObject({ code: 'unknown_target', currentVersion: 2 });
    const onVersion2 = await jsonOf(
      await api.call(
        `${item}/comments`,
        call(resident, 'POST', { stance: 'for', text: 'New', target: { kind: 'paragraph', id: lane?.id } }),
      ),
    );
    expect(onVersion2).toMatchObject({ draftVersion: 2, sectionId: 'transport' });
  });

  it('revises a draft at the limits, every paragraph edited, keeping every id and comment', async () => {
    // Prepare: 2,000 paragraphs (the most allowed) of about 56 bytes, 100 to a section; a comment on the last.
    const texts = Array.from(
      { length: 2_000 },
      (_, at) => `Item ${at}: buses every ${at % 15} minutes on route ${at % 7}.`,
    );
    const draftOf = (paragraphs: readonly string[]) =>
      paragraphs
        .flatMap((paragraph, at) => (at % 100 === 0 ? [`# Part ${at / 100}`, paragraph] : [paragraph]))
        .join('\n\n');
    const consultation = await createConsultation(api, COMMUNITY, council, {
      open: true,
      markdown: draftOf(texts),
    });
    const item = `${base}/${consultation.id}`;
    const last = consultation.draft.blocks.at(-1);
    const commented = await api.call(
      `${item}/comments`,
      call(resident, 'POST', {
        stance: 'against',
        text: 'Too rare.',
        target: { kind: 'paragraph', id: last?.id },
      }),
    );
    expect(commented.status).toBe(201);
    // The counts come from the stream tally's counters: let it count the comment first, whatever the load.
    await api.runtime.drain();

    // Act
    const revised = await api.call(
      `${item}/revisions`,
      call(council, 'POST', {
        markdown: draftOf(texts.map((text) => text.replace('buses', 'electric buses'))),
      }),
    );

    // Assess
    expect(revised.status).toBe(201);
    const version2 = await jsonOf(revised);
    expect(version2.draft.blocks.map((block: { id: string }) => block.id)).toEqual(
      consultation.draft.blocks.map((block) => block.id),
    );
    expect(version2.counts).toMatchObject({
      all: { total: 1 },
      bySection: { [last?.parentId as string]: { total: 1 } },
    });
    const comment = await get(`${item}/comments/${(await jsonOf(commented)).id}`);
    expect(comment).toMatchObject({ attachedTo: { kind: 'paragraph', id: last?.id }, draftVersion: 1 });
  });

  it('refuses a revision that changes nothing, one by a resident, and one after closing', async () => {
    const consultation = await createConsultation(api, COMMUNITY, council, {
      open: true,
      markdown: VERSION_1,
    });
    const item = `${base}/${consultation.id}`;
    const revise = (token: string, markdown: string) =>
      api.call(`${item}/revisions`, call(token, 'POST', { markdown }));

    const unchanged = await revise(council, VERSION_1);
    const byResident = await revise(resident, VERSION_2);
    await api.call(`${item}/phase`, call(council, 'POST', { phase: 'closed' }));
    const afterClosing = await revise(council, VERSION_2);

    expect(unchanged.status).toBe(409);
    expect(await jsonOf(unchanged)).toMatchObject({ code: 'draft_unchanged' });
    expect(byResident.status).toBe(403);
    expect(await jsonOf(byResident)).toMatchObject({ code: 'forbidden', required: 'council' });
    expect(afterClosing.status).toBe(409);
    expect(await jsonOf(afterClosing)).toMatchObject({ code: 'invalid_phase', currentPhase: 'closed' });
  });
});
