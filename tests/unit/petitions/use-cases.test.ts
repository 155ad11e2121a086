import { describe, expect, it } from 'vitest';
import type { Community } from '../../../domain/communities/community';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { Role } from '../../../domain/identity/actor';
import type { Petition } from '../../../domain/petitions/petition';
import { closeExpiredPetitions } from '../../../functions/petitions/close-expired';
import { petitionUseCases } from '../../../functions/petitions/use-cases';
import { CHANGE_ATTEMPTS } from '../../../functions/shared/use-case';
import { actor, contextFor, fixedClock, sequentialIds } from '../../support/actors';
import { fakePetitionStore } from '../../support/fakes/petition-store';

// The petitions tool's use cases through the runner, on the in-memory fake of the port.

const community = (moderation: Record<string, unknown> = { petitions: 'post' }): Community => ({
  id: 'demo',
  settings: CommunitySettingsSchema.parse({
    names: { uk: 'Громада', en: 'Hromada' },
    districts: [{ id: 'd1', names: { uk: 'О', en: 'D' } }],
    petitions: { thresholds: [{ name: 'response', signatures: 10 }] },
    moderation,
  }),
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'admin',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
});

const resident = (key: string) =>
  actor({
    subject: key,
    signerKey: key.padEnd(64, '0'),
    residency: { communityId: 'demo', districtId: 'd1' },
    birthdate: '1990-01-01',
  });
const author = resident('author');
const council = actor({ subject: 'council', roles: new Set([Role.council]) });

/** Runs without sleeping between tries: the fake's conflicts are injected, not raced. */
const noPause = { attempts: CHANGE_ATTEMPTS, pause: async () => {} };

/** A fake holding one draft by `author`, and the use cases on it. */
async function withDraft(moderation?: Record<string, unknown>) {
  const fake = fakePetitionStore();
  const useCases = petitionUseCases(fake.store, noPause);
  const created = await useCases.create(contextFor(author), community(moderation), {
    title: 'A petition title',
    text: 'Text',
  });
  if (!created.ok) throw new Error(created.error.code);
  return { fake, useCases, draft: created.value };
}

/** A fake holding one open petition (post-moderation publishes on submit). */
async function withOpenPetition() {
  const prepared = await withDraft();
  const submitted = await prepared.useCases.submit(contextFor(author), community(), prepared.draft.id);
  if (!submitted.ok) throw new Error(submitted.error.code);
  return { ...prepared, petition: submitted.value };
}

describe('petition use cases on the runner', () => {
  it('creates a draft and writes its event with it', async () => {
    const { fake, draft } = await withDraft();

    expect(await fake.store.get('demo', draft.id)).toEqual(draft);
    expect(fake.record.events.map((event) => event.name)).toEqual(['petition.created.v1']);
  });

  it('submits a draft: the state moves on and the event is written in the same save', async () => {
    const { fake, useCases, draft } = await withDraft();

    const outcome = await useCases.submit(contextFor(author), community(), draft.id);

    expect(outcome.ok && outcome.value.state).toBe('open');
    expect((await fake.store.get('demo', draft.id))?.state).toBe('open');
    expect(fake.record.events.map((event) => event.name)).toEqual([
      'petition.created.v1',
      'petition.published.v1',
    ]);
  });

  it('loads again and decides again when another change came first, then saves once', async () => {
    const { fake, useCases, draft } = await withDraft();
    fake.conflictNext(CHANGE_ATTEMPTS - 1);

    const outcome = await useCases.submit(contextFor(author), community(), draft.id);

    expect(outcome.ok).toBe(true);
    expect(fake.saves).toBe(CHANGE_ATTEMPTS);
    expect(fake.record.events.filter((event) => event.name === 'petition.published.v1')).toHaveLength(1);
  });

  it(`answers version_conflict after ${CHANGE_ATTEMPTS} lost races and writes nothing`, async () => {
    const { fake, useCases, draft } = await withDraft();
    fake.conflictNext(CHANGE_ATTEMPTS);

    const outcome = await useCases.submit(contextFor(author), community(), draft.id);

    expect(outcome.ok || outcome.error.code).toBe('version_conflict');
    expect(outcome.ok || outcome.error.message.en).toBe(
      'The petition changed several times just now. Please try again.',
    );
    expect((await fake.store.get('demo', draft.id))?.state).toBe('draft');
    expect(fake.record.events.map((event) => event.name)).toEqual(['petition.created.v1']);
  });

  it("hides another resident's draft as not found, and saves nothing", async () => {
    const { fake, useCases, draft } = await withDraft();

    const outcome = await useCases.submit(contextFor(resident('other')), community(), draft.id);

    expect(outcome.ok || outcome.error).toMatchObject({
      code: 'petition_not_found',
      details: { petitionId: draft.id },
    });
    expect(fake.saves).toBe(0);
  });

  it("records the council's answer in the audit trail with what changed", async () => {
    const { fake, useCases, petition } = await withOpenPetition();

    const outcome = await useCases.answer(contextFor(council), 'demo', petition.id, {
      text: 'We will do it.',
      decision: 'supported',
    });

    expect(outcome.ok && outcome.value.responseState).toBe('answered');
    expect(fake.record.audits).toHaveLength(1);
    expect(fake.record.audits[0]).toMatchObject({
      action: 'petition.answer',
      target: `petition/${petition.id}`,
      actor: { subject: 'council' },
    });
    expect(Object.keys(fake.record.audits[0]?.after ?? {}).sort()).toEqual(['response', 'responseState']);
  });

  it('refuses an answer from a resident, with no audit and no save', async () => {
    const { fake, useCases, petition } = await withOpenPetition();
    const savesBefore = fake.saves;

    const outcome = await useCases.answer(contextFor(author), 'demo', petition.id, {
      text: 'Mine.',
      decision: 'supported',
    });

    expect(outcome.ok || outcome.error.code).toBe('forbidden');
    expect(fake.saves).toBe(savesBefore);
    expect(fake.record.audits).toEqual([]);
  });

  it('fires a threshold once when paper signatures cross it, audited', async () => {
    const { fake, useCases, petition } = await withOpenPetition();

    const first = await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, {
      id: 'batch-0001',
      count: 12,
    });
    const second = await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, {
      id: 'batch-0002',
      count: 5,
    });

    expect(first.ok && first.value.petition.offlineSignatureCount).toBe(12);
    expect(second.ok && second.value.petition.offlineSignatureCount).toBe(17);
    expect(fake.record.events.filter((event) => event.name === 'petition.threshold-reached.v1')).toHaveLength(
      1,
    );
    expect([...fake.record.thresholdMarks]).toEqual([`${petition.id}|response`]);
    expect(fake.record.audits.map((audit) => audit.action)).toEqual([
      'petition.offline-signatures',
      'petition.offline-signatures',
    ]);
  });

  it('counts a batch once: sent again, or again after losing its race, it is a replay that writes nothing', async () => {
    const { fake, useCases, petition } = await withOpenPetition();
    const batch = { id: 'batch-0001', count: 5 };
    const first = await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, batch);
    const savesAfterFirst = fake.saves;

    const again = await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, batch);
    fake.conflictNext(1);
    const other = await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, {
      id: 'batch-0002',
      count: 5,
    });

    expect(first.ok && first.value.replayed).toBe(false);
    expect(again.ok && again.value).toMatchObject({ replayed: true, petition: { offlineSignatureCount: 5 } });
    // The replay saved nothing; the other batch lost one race and was counted on its second try.
    expect(fake.saves).toBe(savesAfterFirst + 2);
    expect(other.ok && other.value.petition.offlineSignatureCount).toBe(10);
    expect([...fake.record.paperBatches.keys()]).toEqual([
      `${petition.id}|batch-0001`,
      `${petition.id}|batch-0002`,
    ]);
    expect(fake.record.audits.map((audit) => audit.action)).toEqual([
      'petition.offline-signatures',
      'petition.offline-signatures',
    ]);
  });

  it('answers the replay when the twin of a batch was counted while it waited', async () => {
    const { fake, useCases, petition } = await withOpenPetition();
    const batch = { id: 'batch-0001', count: 5 };
    let raced = false;
    // The same batch sent twice at once: the twin's write lands between this one's load and save.
    const racing = petitionUseCases(
      {
        ...fake.store,
        saveCounts: async (...args: Parameters<typeof fake.store.saveCounts>) => {
          if (!raced) {
            raced = true;
            expect(
              (await useCases.addPaperSignatures(contextFor(council), 'demo', petition.id, batch)).ok,
            ).toBe(true);
          }
          return fake.store.saveCounts(...args);
        },
      },
      noPause,
    );

    const outcome = await racing.addPaperSignatures(contextFor(council), 'demo', petition.id, batch);

    expect(outcome.ok && outcome.value).toMatchObject({
      replayed: true,
      petition: { offlineSignatureCount: 5 },
    });
    expect(fake.record.paperBatches.size).toBe(1);
    expect(fake.record.audits).toHaveLength(1);
  });

  it('signs once per person: the repeat is alreadySigned and writes nothing', async () => {
    const { fake, useCases, petition } = await withOpenPetition();
    const signer = contextFor(resident('signer'));

    const first = await useCases.sign(signer, community(), petition.id, petition);
    const again = await useCases.sign(signer, community(), petition.id, petition);

    expect(first.ok && first.value.alreadySigned).toBe(false);
    expect(again.ok && again.value).toEqual({ alreadySigned: true });
    expect(fake.record.signatures.size).toBe(1);
  });

  it('does not let anyone sign a draft: it is not found', async () => {
    const { fake, useCases, draft } = await withDraft();

    const outcome = await useCases.sign(contextFor(resident('signer')), community(), draft.id, draft);

    expect(outcome.ok || outcome.error.code).toBe('petition_not_found');
    expect(fake.record.signatures.size).toBe(0);
  });
});

/** A fake holding one petition gathering `sponsorsNeeded` sponsors, and the use cases on it. */
async function withGathering(sponsorsNeeded: number) {
  const { draft } = await withDraft();
  const gathering: Petition = { ...draft, state: 'gathering_sponsors', sponsorsNeeded };
  const fake = fakePetitionStore([gathering]);
  return { fake, useCases: petitionUseCases(fake.store, noPause), petition: gathering };
}

describe('sponsoring on the group commit', () => {
  it('writes sponsors of the same moment together; the last one needed sends the petition on', async () => {
    const { fake, useCases, petition } = await withGathering(2);
    const token = petition.sponsorToken;

    const [first, second] = await Promise.all([
      useCases.sponsor(contextFor(resident('one')), community(), petition.id, token),
      useCases.sponsor(contextFor(resident('two')), community(), petition.id, token),
    ]);

    expect(first.ok && first.value.alreadySponsored).toBe(false);
    expect(second.ok && second.value).toMatchObject({ alreadySponsored: false, petition: { state: 'open' } });
    expect(fake.saves).toBe(1);
    expect(fake.record.sponsors.size).toBe(2);
    expect(fake.record.events.map((event) => event.name)).toEqual(['petition.published.v1']);
  });

  it('answers a repeat alreadySponsored with the petition, and writes nothing', async () => {
    const { fake, useCases, petition } = await withGathering(3);
    const sponsor = contextFor(resident('one'));
    await useCases.sponsor(sponsor, community(), petition.id, petition.sponsorToken);
    const savesBefore = fake.saves;

    const again = await useCases.sponsor(sponsor, community(), petition.id, petition.sponsorToken);

    expect(again.ok && again.value).toMatchObject({ alreadySponsored: true, petition: { sponsorCount: 1 } });
    expect(fake.saves).toBe(savesBefore);
    expect((await fake.store.get('demo', petition.id))?.sponsorCount).toBe(1);
  });

  it(`answers version_conflict after ${CHANGE_ATTEMPTS} lost races, and counts nobody`, async () => {
    const { fake, useCases, petition } = await withGathering(3);
    fake.conflictNext(CHANGE_ATTEMPTS);

    const outcome = await useCases.sponsor(
      contextFor(resident('one')),
      community(),
      petition.id,
      petition.sponsorToken,
    );

    expect(outcome.ok || outcome.error.code).toBe('version_conflict');
    expect(outcome.ok || outcome.error.message.en).toBe(
      'The petition changed several times just now. Please try again.',
    );
    expect(fake.record.sponsors.size).toBe(0);
    expect((await fake.store.get('demo', petition.id))?.sponsorCount).toBe(0);
  });

  it('refuses a wrong link, and hides a draft as not found', async () => {
    const { useCases, petition } = await withGathering(3);
    const { useCases: onDraft, draft } = await withDraft();

    const wrongLink = await useCases.sponsor(contextFor(resident('one')), community(), petition.id, 'nope');
    const ofDraft = await onDraft.sponsor(
      contextFor(resident('one')),
      community(),
      draft.id,
      draft.sponsorToken,
    );

    expect(wrongLink.ok || wrongLink.error.code).toBe('invalid_sponsor_token');
    expect(ofDraft.ok || ofDraft.error).toMatchObject({
      code: 'petition_not_found',
      details: { petitionId: draft.id },
    });
  });
});

describe('the closing job on the runner', () => {
  it('closes a petition whose period ended, also after a lost race, and leaves an open one alone', async () => {
    const { fake, petition } = await withOpenPetition();
    const later: Petition = {
      ...petition,
      id: `${petition.id.slice(0, -1)}Z`,
      closesAt: '2099-01-01T00:00:00.000Z',
    };
    await fake.store.create(later, []);
    fake.conflictNext(1);
    const afterClosing = fixedClock(new Date(Date.parse(petition.closesAt ?? '') + 1_000).toISOString());

    const result = await closeExpiredPetitions(fake.store, afterClosing, sequentialIds());

    expect(result).toEqual({ closed: 1, skipped: 0 });
    expect((await fake.store.get('demo', petition.id))?.state).toBe('closed');
    expect((await fake.store.get('demo', later.id))?.state).toBe('open');
  });
});
