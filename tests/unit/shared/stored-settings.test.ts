import { describe, expect, it } from 'vitest';
import { CommunitySettingsSchema } from '../../../domain/communities/settings';
import { storedSettings } from '../../../functions/shared/tenancy';

const written = CommunitySettingsSchema.parse({ names: { uk: 'Громада', en: 'Hromada' } });

describe('stored settings, read back', () => {
  it('drop keys a later version wrote, at the top and inside groups, and keep the rest', () => {
    const stored = {
      ...written,
      futureSetting: { on: true },
      petitions: { ...written.petitions, futureThreshold: 3 },
      names: { ...written.names, pl: 'Gromada' },
    };

    expect(storedSettings(stored)).toEqual(written);
  });

  it('still refuse what no version wrote', () => {
    expect(() => storedSettings({ ...written, names: { uk: '', en: 'Hromada' } })).toThrow();
  });

  it('leave the stored value untouched', () => {
    const stored = { ...written, futureSetting: 1 };

    storedSettings(stored);

    expect(stored).toHaveProperty('futureSetting', 1);
  });
});
