import { type Schemas, api, call } from './index';

/** The reference lists the screens label things with (regions, industries, platform types), loaded once per page life (they change yearly at most). */
let regions: Promise<Schemas['RegionDto'][]> | undefined;
let industries: Promise<Schemas['IndustryDto'][]> | undefined;
let platformTypes: Promise<Schemas['PlatformTypeDto'][]> | undefined;

function kept<T>(load: () => Promise<T>, forget: () => void): Promise<T> {
  const promise = load();
  // A failed load is tried again next time, not kept.
  promise.catch(forget);
  return promise;
}

export function loadRegions(): Promise<Schemas['RegionDto'][]> {
  regions ??= kept(
    () => call(() => api.GET('/regions')),
    () => (regions = undefined),
  );
  return regions;
}

export function loadIndustries(): Promise<Schemas['IndustryDto'][]> {
  industries ??= kept(
    () => call(() => api.GET('/industries')),
    () => (industries = undefined),
  );
  return industries;
}

export function loadPlatformTypes(): Promise<Schemas['PlatformTypeDto'][]> {
  platformTypes ??= kept(
    () => call(() => api.GET('/platform-types')),
    () => (platformTypes = undefined),
  );
  return platformTypes;
}

/** A dictionary entry's name in the reader's language. */
export function nameIn(entry: { nameZh: string; nameEn: string }, locale: string): string {
  return locale === 'en' ? entry.nameEn : entry.nameZh;
}
