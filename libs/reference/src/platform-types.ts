export const PLATFORM_LEVELS = ['municipal', 'provincial', 'national'] as const;
export type PlatformLevel = (typeof PLATFORM_LEVELS)[number];

export const PLATFORM_TYPE_CODES = ['new_rd_institution', 'incubator', 'maker_space', 'key_lab'] as const;
export type PlatformTypeCode = (typeof PLATFORM_TYPE_CODES)[number];

export interface PlatformTypeInfo {
  code: PlatformTypeCode;
  nameZh: string;
  nameEn: string;
  /** Short code used in readable dossier numbers (WZ-INC-2027-0042). */
  numberPrefix: string;
  levels: PlatformLevel[];
  subtypes: { code: string; nameZh: string; nameEn: string }[];
}

/** The kinds of platform the bureau recognises (DOMAIN.md §1). */
export const PLATFORM_TYPES: readonly PlatformTypeInfo[] = [
  {
    code: 'new_rd_institution',
    nameZh: '新型研发机构',
    nameEn: 'New R&D institution',
    numberPrefix: 'NRI',
    levels: ['municipal', 'provincial'],
    subtypes: [],
  },
  {
    code: 'incubator',
    nameZh: '科技企业孵化器',
    nameEn: 'Technology business incubator',
    numberPrefix: 'INC',
    levels: ['municipal', 'provincial', 'national'],
    subtypes: [
      { code: 'comprehensive', nameZh: '综合型', nameEn: 'Comprehensive' },
      { code: 'specialised', nameZh: '专业型', nameEn: 'Specialised' },
    ],
  },
  {
    code: 'maker_space',
    nameZh: '众创空间',
    nameEn: 'Maker space',
    numberPrefix: 'MKS',
    levels: ['municipal', 'provincial', 'national'],
    subtypes: [
      { code: 'comprehensive', nameZh: '综合', nameEn: 'Comprehensive' },
      { code: 'specialised', nameZh: '专业化', nameEn: 'Specialised' },
    ],
  },
  {
    code: 'key_lab',
    nameZh: '重点实验室',
    nameEn: 'Key laboratory',
    numberPrefix: 'KL',
    levels: ['municipal', 'provincial', 'national'],
    subtypes: [
      { code: 'discipline', nameZh: '支撑学科发展', nameEn: 'Supporting discipline development' },
      { code: 'industry', nameZh: '支撑产业创新', nameEn: 'Supporting industrial innovation' },
    ],
  },
];

/** "X-level or above" (以上): level >= X. */
export function levelRank(level: PlatformLevel): number {
  return PLATFORM_LEVELS.indexOf(level);
}
