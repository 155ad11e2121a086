import { z } from 'zod';

/** `tool.what-happened.vN`: lower-case words with dashes, a tool prefix and a version. */
export const EVENT_NAME_PATTERN = /^[a-z]+\.[a-z-]+\.v[0-9]+$/;

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * Every event the system emits travels in this envelope. Consumers dedupe by `id`
 * (the outbox may deliver an event more than once); `name` carries the version so
 * that a consumer can refuse a shape it does not know.
 */
export const EventEnvelopeSchema = z.object({
  id: z.string().regex(ULID, 'a ULID'),
  name: z.string().regex(EVENT_NAME_PATTERN, 'tool.event-name.vN'),
  communityId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  /** What the event is about, e.g. `community/demo` or `petition/01H…`. */
  subject: z.string().min(1),
  detail: z.record(z.string(), z.unknown()),
});

export type EventEnvelope<Detail extends Record<string, unknown> = Record<string, unknown>> = Omit<
  z.infer<typeof EventEnvelopeSchema>,
  'detail'
> & { detail: Detail };

/** Builds an envelope; the id and time come from the caller so commands stay pure. */
export function envelope<Detail extends Record<string, unknown>>(input: {
  id: string;
  name: string;
  communityId: string;
  occurredAt: Date;
  subject: string;
  detail: Detail;
}): EventEnvelope<Detail> {
  return { ...input, occurredAt: input.occurredAt.toISOString() };
}
