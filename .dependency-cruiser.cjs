// The architecture of the libs, as a rule (ARCHITECTURE.md, "The write path"): a lib may import only
// libs on a lower floor. An arrow running sideways or back up fails `npm run lint`.
const FLOORS = [
  ['workflow', 'config', 'common', 'reference'],
  ['database', 'queue'],
  ['audit', 'notifications'],
  ['identity'],
  ['registry'],
  ['applications', 'reviews', 'notices', 'targets'],
];

const libPath = (names) => `^libs/(${names.join('|')})/`;

const layerRules = FLOORS.flatMap((floor, level) =>
  floor.map((lib) => {
    const notBelow = FLOORS.slice(level)
      .flat()
      .filter((other) => other !== lib);
    return {
      name: `layers-${lib}`,
      comment: `libs/${lib} sits on floor ${level}: it may import only libs on lower floors (${FLOORS.slice(0, level).flat().join(', ') || 'none'}).`,
      severity: 'error',
      from: { path: `^libs/${lib}/` },
      to: { path: libPath(notBelow) },
    };
  }),
);

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'libs-do-not-import-apps',
      comment: 'Apps assemble libs; a lib never reaches up into an app.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'api-and-worker-apart',
      comment: 'The API and the worker are separate processes; only the standalone app assembles both.',
      severity: 'error',
      from: { path: '^apps/(api|worker)/' },
      to: { path: '^apps/(api|worker)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'workflow-is-pure',
      comment: 'The workflow engine imports no framework, no database and no I/O (STYLE.md, habit 2).',
      severity: 'error',
      from: { path: '^libs/workflow/' },
      to: { path: '^node_modules/(@nestjs|typeorm|pg|bullmq|ioredis|nodemailer)/|^(fs|net|http|https|child_process)$' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^libs/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|node_modules)/|\\.spec\\.ts$|/testing/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
