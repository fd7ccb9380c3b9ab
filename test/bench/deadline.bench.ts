import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState } from 'pdf-lib';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ENTITIES_GLOB } from '@app/database';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import { countingCatcher } from './mail.bench';
import {
  type Row,
  freePort,
  jsonClient,
  quantile,
  rssMegabytes,
  startBuilt,
  startStandalone,
  waitForHttp,
  waitForQuiet,
  wallClockMs,
  watchRss,
} from './support';

/** Dossiers, one per organisation, and the clients (applicants at work at once) that carry them. */
const DOSSIERS = Number(process.env.BENCH_DEADLINE_DOSSIERS ?? 300);
const CLIENTS = Number(process.env.BENCH_DEADLINE_CLIENTS ?? 30);
/** The counties whose officers recommend (the demo seeds one officer per county and zone). */
const COUNTIES = [
  'lucheng',
  'longwan',
  'ouhai',
  'dongtou',
  'ruian',
  'yueqing',
  'longgang',
  'yongjia',
  'pingyang',
  'cangnan',
  'wencheng',
  'taishun',
];
const DEMO_PASSWORD = 'Bench-Demo-Pass-2027';
const BOUNDARY = '----ouflow-bench-7f3a';
/** A complete incubator form that passes the call's eligibility rules. */
const INCUBATOR_FORM = {
  independentLegalPerson: true,
  operatingSince: '2022-01-01',
  siteOwned: false,
  leaseYears: 8,
  areaM2: 8000,
  incubatedAreaM2: 6000,
  incubatedFirms: 45,
  professionalOperator: true,
};

/** A real, parseable one-page PDF of about 1 MB: an uncompressed 600x580 RGB image of noise and a line of text. */
async function benchPdf(): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const [width, height] = [600, 580];
  const image = doc.context.register(
    doc.context.stream(randomBytes(width * height * 3), {
      Type: 'XObject',
      Subtype: 'Image',
      Width: width,
      Height: height,
      ColorSpace: 'DeviceRGB',
      BitsPerComponent: 8,
    }),
  );
  const name = page.node.newXObject('Im', image);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(500, 0, 0, 483, 47, 300), drawObject(name), popGraphicsState());
  page.drawText('Ouflow bench document', { x: 50, y: 800, size: 12 });
  return Buffer.from(await doc.save());
}

/** The multipart body around the file: the documentCode field first, as the browser form sends it. */
function multipartParts(documentCode: string, pdf: Buffer): Buffer[] {
  return [
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="documentCode"\r\n\r\n${documentCode}\r\n` +
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${documentCode}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    pdf,
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ];
}
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

type Client = ReturnType<typeof jsonClient>;
type Answer = Awaited<ReturnType<Client['post']>>;

/** Every request's latency by route, and every answer that is not 2xx (or no answer at all). */
function recorder(): {
  call(route: string, request: () => Promise<Answer>): Promise<Answer | undefined>;
  latencies: Map<string, number[]>;
  errors: string[];
} {
  const latencies = new Map<string, number[]>();
  const errors: string[] = [];
  return {
    latencies,
    errors,
    call: async (route, request) => {
      const started = performance.now();
      let answer: Answer;
      try {
        answer = await request();
      } catch (error) {
        errors.push(`${route}: ${String(error)}`);
        return undefined;
      }
      if (answer.status < 200 || answer.status > 299) {
        errors.push(`${route}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
        return undefined;
      }
      const took = performance.now() - started;
      const known = latencies.get(route);
      if (known) known.push(took);
      else latencies.set(route, [took]);
      return answer;
    },
  };
}

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;

/** Runs `work` over `items` with `concurrency` at a time. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function login(http: Client, email: string, password: string): Promise<string> {
  const answer = await http.post('/auth/login', {}, { email, password });
  if (answer.status !== 200) throw new Error(`login of ${email} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return (answer.body as { accessToken: string }).accessToken;
}

/** The bare multipart route, uploading `count` files at `concurrency`; returns each upload's latency and the rate in MB/s. */
async function bareUploads(pdf: Buffer, count: number, concurrency: number): Promise<{ latencies: number[]; megabytesPerSecond: number }> {
  const folder = mkdtempSync(join(tmpdir(), 'ouflow-bench-bare-upload-'));
  const port = await freePort();
  const bare = startBuilt('test/bench/bare-multipart.js', [String(port), folder], {});
  try {
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    const http = jsonClient(`http://127.0.0.1:${port}`, concurrency);
    const record = recorder();
    const started = performance.now();
    await inParallel(
      Array.from({ length: count }, (_, i) => i),
      concurrency,
      async () => {
        await record.call('upload', () => http.send('POST', '/upload', {}, MULTIPART, multipartParts('business_licence', pdf)));
      },
    );
    const seconds = (performance.now() - started) / 1000;
    http.close();
    if (record.errors.length > 0) throw new Error(`the bare multipart route failed: ${record.errors[0]}`);
    return { latencies: record.latencies.get('upload') ?? [], megabytesPerSecond: (count * pdf.length) / 1_048_576 / seconds };
  } finally {
    await bare.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * The deadline day: DOSSIERS organisations draft, sign the pledge, upload the call's required documents
 * (real ~1 MB PDFs) and submit at once (CLIENTS at a time), county officers recommend each dossier as it
 * arrives, and the leader's dashboard polls GET /targets/progress meanwhile; on the standalone app in
 * embedded mode (API and worker in one process, embedded PostgreSQL), as `npm start` runs it. Beside it,
 * a bare Fastify multipart route with the same files at the same concurrency.
 */
export async function benchDeadline(): Promise<Row[]> {
  const pdf = await benchPdf();
  const catcher = await countingCatcher();
  const dataDir = mkdtempSync(join(tmpdir(), 'ouflow-bench-deadline-'));
  mkdirSync(dataDir, { recursive: true });
  // Embedded mode, except that mails go to the bench's catcher (instead of maildev) so it can tell when all are accepted.
  const pgPort = String(await freePort());
  const db = new DataSource({ type: 'postgres', url: `postgres://ouflow:ouflow@127.0.0.1:${pgPort}/ouflow`, entities: [ENTITIES_GLOB] });
  const app = await startStandalone({
    DATA_DIR: dataDir,
    EMBEDDED_PG_PORT: pgPort,
    SMTP_URL: catcher.url,
    DEMO_PASSWORD,
    LOG_LEVEL: 'error',
  }).catch(async (error: unknown) => {
    await catcher.stop();
    throw error;
  });
  try {
    await db.initialize();
    const [call]: { id: string; required_documents: { code: string; required: boolean }[] }[] = await db.query(
      `SELECT id, required_documents FROM call WHERE platform_type = 'incubator' AND status = 'open' ORDER BY created_at LIMIT 1`,
    );
    if (!call) throw new Error('no open incubator call: the standalone seeds one in embedded mode');
    // The county's recommendation letter is the county officer's upload, just before recommending.
    const documents = call.required_documents.filter((d) => d.required && d.code !== 'recommendation_letter').map((d) => d.code);
    process.stderr.write(`  deadline: ${DOSSIERS} organisations, ${documents.length} documents each (${documents.join(', ')}) ...\n`);
    const organisations: { n: number; region: string; email: string; password: string; token?: string }[] = [];
    for (let i = 0; i < DOSSIERS; i++) {
      const region = COUNTIES[i % COUNTIES.length];
      const organisation = await makeOrganisation(db, { regionCode: region, name: `压测单位${i + 1}有限公司` });
      const user = await makeUser(db, { role: 'applicant', organisationId: organisation.id, isOrganisationOwner: true });
      organisations.push({ n: i + 1, region, email: user.email, password: user.password });
    }
    const http = jsonClient(app.baseUrl, CLIENTS + COUNTIES.length + 1);
    await inParallel(organisations, 4, async (organisation) => {
      organisation.token = await login(http, organisation.email, organisation.password);
    });
    const officers = new Map<string, string>();
    for (const county of COUNTIES) officers.set(county, await login(http, `county.${county}@demo.ouflow.cn`, DEMO_PASSWORD));
    const leader = { authorization: `Bearer ${await login(http, 'leader@demo.ouflow.cn', DEMO_PASSWORD)}` };

    process.stderr.write(`  deadline: the bare multipart route ...\n`);
    const bare = await bareUploads(pdf, DOSSIERS * documents.length, CLIENTS);

    // The demo's own mails are sent before the burst starts; the dashboard's latency when nothing else runs.
    if (!(await waitForQuiet((sql) => db.query(sql)))) throw new Error('the demo mails were not sent within 2 minutes');
    const idle = recorder();
    for (let i = 0; i < 20; i++) await idle.call('progress', () => http.get('/targets/progress', leader));
    const idleRss = rssMegabytes(app.child.pid);
    const mailsBefore = catcher.count();
    catcher.takeAccepted();

    process.stderr.write(`  deadline: the burst ...\n`);
    const record = recorder();
    const inboxes = new Map(COUNTIES.map((county) => [county, { waiting: [] as { id: string; version: number }[], wake: () => {} }]));
    let applicantsDone = false;
    let lastSubmitMs = Number.NaN;
    let recommended = 0;
    const rss = watchRss(app.child.pid);
    const started = performance.now();
    const applicants = inParallel(organisations, CLIENTS, async (organisation) => {
      const auth = { authorization: `Bearer ${organisation.token}` };
      const draft = await record.call('POST /applications', () =>
        http.post('/applications', auth, {
          callId: call.id,
          name: `压测孵化器${organisation.n}`,
          subtype: 'comprehensive',
          industries: ['emerg.digital'],
          form: INCUBATOR_FORM,
        }),
      );
      if (!draft) return;
      const { id, version } = draft.body as { id: string; version: number };
      const signed = await record.call('PATCH /applications/:id (pledge)', () =>
        http.send('PATCH', `/applications/${id}`, auth, 'application/json', [
          Buffer.from(JSON.stringify({ expectedVersion: version, pledgeSigned: true })),
        ]),
      );
      if (!signed) return;
      for (const code of documents) {
        const uploaded = await record.call('POST /applications/:id/attachments', () =>
          http.send('POST', `/applications/${id}/attachments`, auth, MULTIPART, multipartParts(code, pdf)),
        );
        if (!uploaded) return;
      }
      const submitted = await record.call('POST /applications/:id/submit', () =>
        http.post(`/applications/${id}/submit`, auth, { expectedVersion: (signed.body as { version: number }).version }),
      );
      if (!submitted) return;
      lastSubmitMs = wallClockMs();
      const inbox = inboxes.get(organisation.region)!;
      inbox.waiting.push({ id, version: (submitted.body as { version: number }).version });
      inbox.wake();
    }).finally(() => {
      applicantsDone = true;
      for (const inbox of inboxes.values()) inbox.wake();
    });
    // Each county's officer recommends the dossiers of the county as they arrive, one at a time.
    const countyOfficers = Promise.all(
      COUNTIES.map(async (county) => {
        const inbox = inboxes.get(county)!;
        const auth = { authorization: `Bearer ${officers.get(county)}` };
        for (;;) {
          const dossier = inbox.waiting.shift();
          if (dossier) {
            const letter = await record.call('POST /applications/:id/attachments (recommendation letter)', () =>
              http.send('POST', `/applications/${dossier.id}/attachments`, auth, MULTIPART, multipartParts('recommendation_letter', pdf)),
            );
            if (!letter) continue;
            const done = await record.call('POST /applications/:id/actions (recommend)', () =>
              http.post(`/applications/${dossier.id}/actions`, auth, {
                action: 'recommend',
                expectedVersion: dossier.version,
                comment: '同意推荐',
              }),
            );
            if (done) recommended += 1;
            continue;
          }
          if (applicantsDone) return;
          await new Promise<void>((resolve) => (inbox.wake = resolve));
        }
      }),
    );
    let burstOver = false;
    const dashboard = (async () => {
      while (!burstOver) await record.call('GET /targets/progress', () => http.get('/targets/progress', leader));
    })();
    await applicants;
    await countyOfficers;
    const seconds = (performance.now() - started) / 1000;
    burstOver = true;
    await dashboard;
    const peakRss = rss.stop();
    // Mails drained: from the last submit until the catcher has accepted every mail the burst caused.
    const quiet = await waitForQuiet((sql) => db.query(sql), 300_000);
    const accepted = catcher.takeAccepted();
    const lastAcceptMs = Math.max(...accepted.values());
    const mails = catcher.count() - mailsBefore;
    http.close();

    for (const [route, latencies] of record.latencies) {
      console.log(
        `  ${route}: ${latencies.length} requests, p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`,
      );
    }
    for (const error of record.errors.slice(0, 5)) console.log(`  error: ${error}`);
    const uploads = record.latencies.get('POST /applications/:id/attachments') ?? [];
    const progress = record.latencies.get('GET /targets/progress') ?? [];
    const idleProgress = idle.latencies.get('progress') ?? [];
    return [
      {
        benchmark: `deadline day, embedded standalone: ${DOSSIERS} dossiers (${documents.length} PDFs of ${(pdf.length / 1_048_576).toFixed(1)} MB each), ${CLIENTS} clients, drafted to recommended`,
        measured: `${(recommended / seconds).toFixed(1)} dossiers/s`,
        baseline: `${recommended} in ${seconds.toFixed(1)} s`,
      },
      {
        benchmark: '  uploads, p50 latency during the burst (ratio: bare p50 / API p50)',
        measured: `p50 ${ms(quantile(uploads, 0.5))}, p99 ${ms(quantile(uploads, 0.99))}`,
        baseline: `p50 ${ms(quantile(bare.latencies, 0.5))}, p99 ${ms(quantile(bare.latencies, 0.99))} bare multipart (${bare.megabytesPerSecond.toFixed(0)} MB/s, ${CLIENTS} clients)`,
        ratio: quantile(bare.latencies, 0.5) / quantile(uploads, 0.5),
        goal: '>= 0.5',
      },
      {
        benchmark: `  GET /targets/progress during the burst (the leader's dashboard polling, ${progress.length} requests)`,
        measured: `p50 ${ms(quantile(progress, 0.5))}, p99 ${ms(quantile(progress, 0.99))}`,
        baseline: `p50 ${ms(quantile(idleProgress, 0.5))} idle`,
        goal: 'p99 < 200 ms',
      },
      {
        benchmark: '  mails drained: from the last submit until every mail is accepted by SMTP',
        measured: quiet ? `${((lastAcceptMs - lastSubmitMs) / 1000).toFixed(1)} s` : 'not within 5 minutes',
        baseline: `${mails} mails`,
      },
      {
        benchmark: '  errors (any answer but 2xx, or none)',
        measured: String(record.errors.length),
        baseline: `${[...record.latencies.values()].reduce((sum, l) => sum + l.length, 0) + record.errors.length} requests`,
        goal: '0',
      },
      {
        benchmark: '  API memory (RSS of the standalone process), peak during the burst',
        measured: `${peakRss.toFixed(0)} MB`,
        baseline: `${idleRss.toFixed(0)} MB idle after start`,
        ratio: peakRss / idleRss,
        goal: '<= 2',
      },
    ];
  } finally {
    if (db.isInitialized) await db.destroy();
    await app.stop();
    await catcher.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
