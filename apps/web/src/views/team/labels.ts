import { computed, onMounted, ref } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Schemas } from '../../api';
import { loadPlatformTypes, loadRegions, nameIn } from '../../api/dictionaries';

/** Platform types and counties named in the reader's language (the dictionaries are public); the code until they load. */
export function useTeamLabels() {
  const { locale } = useI18n();
  const regions = ref<Schemas['RegionDto'][]>([]);
  const types = ref<Schemas['PlatformTypeDto'][]>([]);
  onMounted(async () => {
    try {
      [regions.value, types.value] = await Promise.all([loadRegions(), loadPlatformTypes()]);
    } catch {
      // The codes stay shown: the labels are a courtesy, the inspection is what matters.
    }
  });
  const lang = computed(() => locale.value);
  function county(code: string): string {
    const found = regions.value.find((r) => r.code === code);
    return found ? nameIn(found, lang.value) : code;
  }
  function platformType(code: string): string {
    const found = types.value.find((p) => p.code === code);
    return found ? nameIn(found, lang.value) : code;
  }
  return { county, platformType };
}
