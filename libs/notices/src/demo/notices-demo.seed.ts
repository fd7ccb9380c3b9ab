import type { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import type { Actor, Role } from '@app/identity';
import { Notice } from '../notice.entity';
import type { NoticeWithCandidates, NoticesService } from '../notices.service';

/** What the seed needs of the app: the approved demo dossiers, and the publishing of a notice through their transitions. */
export interface NoticesDemoPorts {
  notices: NoticesService;
  approvedDossiers: (actor: Actor) => Promise<{ id: string; callId: string }[]>;
  publish: (actor: Actor, input: { callId: string; applicationIds: string[] }) => Promise<NoticeWithCandidates>;
}

/**
 * Demo data for embedded mode: the dossiers the applications seed left at `approved` are published
 * as an open notice, and one objection is lodged against the first, so a newcomer sees both after
 * `npm start`. Idempotent (nothing when a notice exists); never in production.
 */
export async function seedNoticesDemo(
  dataSource: DataSource,
  ports: NoticesDemoPorts,
  config: Pick<AppConfig, 'nodeEnv'>,
): Promise<{ published: number }> {
  if (config.nodeEnv === 'production') return { published: 0 };
  if (await dataSource.getRepository(Notice).exists()) return { published: 0 };
  const [bureau]: { id: string; role: Role }[] = await dataSource.query(
    `SELECT id, role FROM app_user WHERE email LIKE '%@demo.ouflow.cn' AND role = 'bureau_officer' AND disabled = false ORDER BY email LIMIT 1`,
  );
  if (!bureau) return { published: 0 };
  const actor: Actor = { userId: bureau.id, role: bureau.role, organisationId: null, regionCode: null, sessionId: 'demo-seed', ip: null };
  const approved = await ports.approvedDossiers(actor);
  if (approved.length === 0) return { published: 0 };
  const callId = approved[0].callId;
  const notice = await ports.publish(actor, { callId, applicationIds: approved.filter((d) => d.callId === callId).map((d) => d.id) });
  await ports.notices.lodgeObjection(
    notice.notice.id,
    {
      candidateId: notice.candidates[0].id,
      objectorType: 'person',
      name: '演示异议人',
      contact: 'objector@demo.ouflow.cn',
      text: '演示：该平台申报的孵化场地面积与实际使用面积不符，请予核查。',
    },
    null,
  );
  return { published: notice.candidates.length };
}
