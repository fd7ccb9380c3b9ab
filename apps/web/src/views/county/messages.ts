/** The county screens' messages: Simplified Chinese first, English with the same keys. Used as t('county.<key>'). */
const zh = {
  title: '县级审核',
};

const en: typeof zh = {
  title: 'County review',
};

export default { zh, en };
