/** The applicant screens' messages: Simplified Chinese first, English with the same keys. Used as t('applicant.<key>'). */
const zh = {
  title: '申报单位',
};

const en: typeof zh = {
  title: 'Applicant',
};

export default { zh, en };
