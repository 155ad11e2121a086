import { expect } from 'vitest';
import { jsonOf, type TestRuntime } from '../../support/runtime';

/** Helpers the consultations API tests share: communities, people, a consultation and its draft. */

export const call = (token: string | undefined, method: string, body?: unknown, language = 'en') => ({
  method,
  ...(token ? { token } : {}),
  headers: { 'content-type': 'application/json', 'accept-language': language },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

export const consultationsOf = (communityId: string) => `/v1/communities/${communityId}/consultations`;

/** A community with districts north and south, its council `council-<id>`, made by the platform admin. */
export async function createCommunity(
  api: TestRuntime,
  id: string,
  settings: Record<string, unknown> = {},
): Promise<{ council: string }> {
  const admin = await api.token({ sub: 'admin' });
  const created = await api.call(
    '/v1/communities',
    call(admin, 'POST', {
      id,
      settings: {
        names: { uk: 'Консультації', en: 'Consultations' },
        districts: [
          { id: 'north', names: { uk: 'Північ', en: 'North' } },
          { id: 'south', names: { uk: 'Південь', en: 'South' } },
        ],
        ...settings,
      },
      council: [{ subject: `council-${id}` }],
    }),
  );
  expect(created.status).toBe(201);
  return { council: await api.token({ sub: `council-${id}`, community: id, district: 'north' }) };
}

export const residentOf = (api: TestRuntime, communityId: string, sub: string, district = 'north') =>
  api.token({ sub, community: communityId, district, birthdate: '1990-05-05' });

/** Two sections, three paragraphs; `transport` and `parking` are explicit ids. */
export const DRAFT = [
  '# Transport {#transport}',
  'Buses every ten minutes on the main routes.',
  'A protected cycle lane on Shevchenka street.',
  '# Parking {#parking}',
  'Paid parking in the centre from 8:00 to 20:00.',
].join('\n\n');

/** One question of every kind, one of them shown only for an answer to another. */
export const SURVEY = {
  questions: [
    {
      id: 'mode',
      type: 'single',
      required: true,
      title: { uk: 'Як ви їздите?', en: 'How do you travel?' },
      options: [
        { id: 'bus', label: { uk: 'Автобус', en: 'Bus' } },
        { id: 'bike', label: { uk: 'Велосипед', en: 'Bike' } },
        { id: 'car', label: { uk: 'Авто', en: 'Car' } },
      ],
    },
    {
      id: 'bike-days',
      type: 'scale',
      range: '0-10',
      title: { uk: 'Скільки днів із десяти?', en: 'How many days in ten?' },
      showIf: { questionId: 'mode', equals: 'bike' },
    },
    {
      id: 'wants',
      type: 'multiple',
      min: 1,
      max: 2,
      title: { uk: 'Що потрібно?', en: 'What is needed?' },
      options: [
        { id: 'lanes', label: { uk: 'Смуги', en: 'Lanes' } },
        { id: 'racks', label: { uk: 'Стоянки', en: 'Racks' } },
        { id: 'lights', label: { uk: 'Світло', en: 'Lights' } },
      ],
    },
    {
      id: 'support',
      type: 'scale',
      range: '1-5',
      title: { uk: 'Підтримка плану', en: 'Support for the plan' },
    },
    {
      id: 'priority',
      type: 'ranking',
      title: { uk: 'Порядок', en: 'Order' },
      options: [
        { id: 'safety', label: { uk: 'Безпека', en: 'Safety' } },
        { id: 'speed', label: { uk: 'Швидкість', en: 'Speed' } },
        { id: 'cost', label: { uk: 'Ціна', en: 'Cost' } },
      ],
    },
    {
      id: 'ideas',
      type: 'text',
      maxLength: 20,
      title: { uk: 'Ідеї', en: 'Ideas' },
    },
  ],
};

/** A consultation created by the council: a draft unless `open`, then opened by the council. */
export async function createConsultation(
  api: TestRuntime,
  communityId: string,
  council: string,
  options: { open?: boolean; markdown?: string; survey?: unknown; title?: string } = {},
) {
  const hour = 3_600_000;
  const created = await api.call(
    consultationsOf(communityId),
    call(council, 'POST', {
      title: options.title ?? 'Mobility plan for the centre',
      summary: 'Buses, cycle lanes and parking.',
      ownerDepartment: 'Transport department',
      opensAt: new Date(Date.now() + hour).toISOString(),
      closesAt: new Date(Date.now() + 240 * hour).toISOString(),
      markdown: options.markdown ?? DRAFT,
      ...(options.survey === undefined ? {} : { survey: options.survey }),
    }),
  );
  expect(created.status).toBe(201);
  const consultation = await jsonOf(created);
  if (options.open) {
    const opened = await api.call(
      `${consultationsOf(communityId)}/${consultation.id}/phase`,
      call(council, 'POST', { phase: 'open' }),
    );
    expect(opened.status).toBe(200);
  }
  return consultation as {
    id: string;
    draft: { blocks: { kind: string; id: string; parentId: string | null }[] };
  };
}

/** The id of the draft's n-th paragraph (0-based), in document order. */
export const paragraphId = (consultation: Awaited<ReturnType<typeof createConsultation>>, n: number) =>
  consultation.draft.blocks.filter((block) => block.kind === 'paragraph')[n]?.id as string;
