/** The leader screens' messages: Simplified Chinese first, English with the same keys. Used as t('leader.<key>'). */
const zh = {
  title: '局领导',
};

const en: typeof zh = {
  title: 'Leadership',
};

export default { zh, en };
