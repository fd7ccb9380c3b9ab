import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type DeadlineSubject, DeadlinesService } from '../../libs/notifications/src';
import { type TestApp, startTestApp } from '../support/app';
import { SmtpCatcher } from '../support/smtp-catcher';
import { waitFor } from '../support/wait';

describe('deadline reminders on the working-day calendar', () => {
  let smtp: SmtpCatcher;
  let test: TestApp;
  let dataSource: DataSource;
  let deadlines: DeadlinesService;
  const items = new Map<string, boolean>();

  beforeAll(async () => {
    smtp = await new SmtpCatcher().start();
    test = await startTestApp({ withWorker: true, smtpUrl: smtp.url, env: { MAIL_RETRY_BASE_MS: '100' } });
    dataSource = test.app.get<DataSource>(getDataSourceToken());
    deadlines = test.app.get(DeadlinesService);
    deadlines.registerSubject('test_item', async (_manager, id): Promise<DeadlineSubject | null> => ({
      open: items.get(id) ?? false,
      label: `申报书 ${id}`,
      stageLabel: '属地初审推荐',
      remind: [{ email: `officer.${id.toLowerCase()}@example.cn` }],
      escalate: [{ email: `chief.${id.toLowerCase()}@example.cn` }],
    }));
  });

  afterAll(async () => {
    await test?.close();
    await smtp?.stop();
  });

  const policy = { before: [3, 1], after: [1], maxReminders: 2 };

  it('schedules reminders at working-day offsets, sends them, then escalates once', async () => {
    items.set('A1', true);
    const planned = await dataSource.transaction((manager) =>
      deadlines.plan(manager, { subjectType: 'test_item', subjectId: 'A1', stage: 'county_review', deadline: '2026-10-09', policy }),
    );
    // 3 and 1 working days before 2026-10-09 skip the National Day holiday; 1 after is the make-up Saturday 2026-10-10.
    expect(planned.map((p) => [p.fireAt.toISOString(), p.escalate])).toEqual([
      ['2026-09-29T01:00:00.000Z', false],
      ['2026-10-08T01:00:00.000Z', false],
      ['2026-10-10T01:00:00.000Z', true],
    ]);
    // Planning again (a replayed transition) adds nothing.
    await dataSource.transaction((manager) =>
      deadlines.plan(manager, { subjectType: 'test_item', subjectId: 'A1', stage: 'county_review', deadline: '2026-10-09', policy }),
    );
    const reminders = await smtp.waitForMail('officer.a1@example.cn', 2);
    expect(reminders.map((m) => m.subject)).toEqual([
      '【瓯流】办理提醒：申报书 A1（属地初审推荐）已逾期',
      '【瓯流】办理提醒：申报书 A1（属地初审推荐）已逾期',
    ]);
    const [escalation] = await smtp.waitForMail('chief.a1@example.cn');
    expect(escalation.subject).toBe('【瓯流】逾期督办：申报书 A1（属地初审推荐）');
    expect(escalation.text).toContain('经 2 次提醒仍未办理');
    const timers = await dataSource.query(`SELECT state, outcome FROM notification_timer WHERE subject_id = 'A1' ORDER BY fire_at`);
    expect(timers).toEqual([
      { state: 'fired', outcome: 'reminded 1' },
      { state: 'fired', outcome: 'reminded 1' },
      { state: 'fired', outcome: 'escalated to 1' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.to('officer.a1@example.cn')).toHaveLength(2);
  });

  it('sends nothing, and ends the chain of reminders, when the dossier has moved on before the timer fires', async () => {
    items.set('B2', false);
    await dataSource.transaction((manager) =>
      deadlines.plan(manager, { subjectType: 'test_item', subjectId: 'B2', stage: 'county_review', deadline: '2026-10-09', policy }),
    );
    const timers = await waitFor(
      async () => {
        const rows: { state: string; outcome: string }[] = await dataSource.query(
          `SELECT state, outcome FROM notification_timer WHERE subject_id = 'B2'`,
        );
        return rows.length > 0 && rows.every((row) => row.state !== 'scheduled') ? rows : undefined;
      },
      { what: 'the first timer of B2 to fire' },
    );
    // Only the first reminder was stored; finding the dossier moved on, it scheduled no next one.
    expect(timers).toHaveLength(1);
    expect(timers.every((row) => row.state === 'skipped' && row.outcome === 'moved on: nothing to remind')).toBe(true);
    expect(smtp.to('officer.b2@example.cn')).toHaveLength(0);
    expect(smtp.to('chief.b2@example.cn')).toHaveLength(0);
  });
});
