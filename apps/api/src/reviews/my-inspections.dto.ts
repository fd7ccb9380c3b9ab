import { ApiProperty } from '@nestjs/swagger';
import type { Application, Attachment } from '@app/applications';
import { type Page, pageDtoOf } from '@app/common';
import type { Inspection } from '@app/reviews';

const CHECK_STATUSES = ['pending', 'verified', 'not_verified'] as const;

export class MyInspectionDossierDto {
  @ApiProperty() id: string;
  @ApiProperty({ nullable: true, type: String }) number: string | null;
  @ApiProperty() name: string;
  @ApiProperty() platformType: string;
  @ApiProperty({ description: 'The county (region code) of the dossier' }) regionCode: string;
  @ApiProperty({ description: "The dossier's current review round" }) round: number;
  @ApiProperty() stage: string;
}

export class MyInspectionMemberDto {
  @ApiProperty({ enum: ['bureau_officer', 'county_officer', 'expert'] }) role: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
  @ApiProperty({ description: 'This member is the caller' }) me: boolean;
}

export class MyInspectionEvidenceDto {
  @ApiProperty() id: string;
  @ApiProperty() fileName: string;
  @ApiProperty() contentType: string;
  @ApiProperty() sizeBytes: number;
}

export class MyInspectionItemDto {
  @ApiProperty() code: string;
  @ApiProperty() nameZh: string;
  @ApiProperty() nameEn: string;
  @ApiProperty({ enum: CHECK_STATUSES }) status: string;
  @ApiProperty({ nullable: true, type: String }) note: string | null;
  @ApiProperty({ type: [MyInspectionEvidenceDto], description: 'The dossier attachments named as evidence' })
  evidence: MyInspectionEvidenceDto[];
}

export class MyInspectionChecklistSummaryDto {
  @ApiProperty() total: number;
  @ApiProperty() verified: number;
  @ApiProperty() notVerified: number;
  @ApiProperty() pending: number;
}

export class MySignatureDto {
  @ApiProperty({ nullable: true, type: String, description: 'When the caller signed the inspection as it stands' }) signedAt: string | null;
  @ApiProperty({
    description: "The caller may sign now: not yet signed, the inspection still a draft and of the dossier's current round",
  })
  canSign: boolean;
}

/** A site inspection as a member of its team reads it: the dossier, the checklist with its evidence, the team's signatures. */
export class MyInspectionDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: MyInspectionDossierDto }) dossier: MyInspectionDossierDto;
  @ApiProperty({ description: 'The review round inspected' }) round: number;
  @ApiProperty({ description: "Whether this is the inspection of the dossier's current round (an earlier one is history)" })
  currentRound: boolean;
  @ApiProperty() visitDate: string;
  @ApiProperty({ nullable: true, type: String, description: 'Last working day for the team to sign' }) signDue: string | null;
  @ApiProperty({ enum: ['draft', 'signed'] }) status: string;
  @ApiProperty({ enum: ['passed', 'failed'], nullable: true, type: String }) result: string | null;
  @ApiProperty({ nullable: true, type: String }) resultNote: string | null;
  @ApiProperty({ type: MyInspectionChecklistSummaryDto }) summary: MyInspectionChecklistSummaryDto;
  @ApiProperty({ type: [MyInspectionItemDto] }) checklist: MyInspectionItemDto[];
  @ApiProperty({ type: [MyInspectionMemberDto] }) team: MyInspectionMemberDto[];
  @ApiProperty({ type: MySignatureDto }) mine: MySignatureDto;
  @ApiProperty({ nullable: true, type: String }) signedAt: string | null;
}
export const MyInspectionPageDto = pageDtoOf(MyInspectionDto, 'MyInspectionPageDto');
export type MyInspectionPageDto = Page<MyInspectionDto>;

export function mapMyInspection(
  userId: string,
  inspection: Inspection,
  application: Application,
  attachments: Attachment[],
): MyInspectionDto {
  const member = inspection.team.find((m) => m.userId === userId);
  const currentRound = inspection.round === application.round;
  const count = (status: (typeof CHECK_STATUSES)[number]): number => inspection.checklist.filter((i) => i.status === status).length;
  return {
    id: inspection.id,
    dossier: {
      id: application.id,
      number: application.number,
      name: application.name,
      platformType: application.platformType,
      regionCode: application.regionCode,
      round: application.round,
      stage: application.stage,
    },
    round: inspection.round,
    currentRound,
    visitDate: inspection.visitDate,
    signDue: inspection.signDue,
    status: inspection.status,
    result: inspection.result,
    resultNote: inspection.resultNote,
    summary: {
      total: inspection.checklist.length,
      verified: count('verified'),
      notVerified: count('not_verified'),
      pending: count('pending'),
    },
    checklist: inspection.checklist.map((item) => ({
      code: item.code,
      nameZh: item.nameZh,
      nameEn: item.nameEn,
      status: item.status,
      note: item.note,
      evidence: attachments
        .filter((a) => item.evidence.includes(a.id))
        .map((a) => ({ id: a.id, fileName: a.fileName, contentType: a.contentType, sizeBytes: Number(a.sizeBytes) })),
    })),
    // Who is on the team and who signed; the avoidance waivers stay with the bureau.
    team: inspection.team.map((m) => ({ role: m.role, name: m.name, signedAt: m.signedAt, me: m.userId === userId })),
    mine: {
      signedAt: member?.signedAt ?? null,
      canSign: Boolean(member && !member.signedAt && inspection.status === 'draft' && currentRound),
    },
    signedAt: inspection.signedAt ? new Date(inspection.signedAt).toISOString() : null,
  };
}
