/** The public screens' messages: Simplified Chinese first, English with the same keys. Used as t('public.<key>'). */
const zh = {
  title: '公共服务',
};

const en: typeof zh = {
  title: 'Public',
};

export default { zh, en };
