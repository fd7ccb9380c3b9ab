import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { type Page, pageDtoOf } from '@app/common';
import type { NoticeCandidate, NoticeWithCandidates, Objection } from '@app/notices';

export class PublishNoticeRequest {
  @ApiProperty({ format: 'uuid' }) @IsUUID() callId: string;
  @ApiProperty({ type: [String], description: 'Dossiers of the call at stage approved, in the order the notice lists them' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  applicationIds: string[];
  @ApiPropertyOptional({ example: '2026年度温州市科技企业孵化器拟认定名单公示' }) @IsOptional() @IsString() @MaxLength(200) title?: string;
}

/** What a public page shows of a candidate: nothing beyond name, type, level, county and host organisation. */
export class PublicCandidateDto {
  @ApiProperty({ format: 'uuid', description: 'Names the candidate in an objection' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() platformType: string;
  @ApiProperty() level: string;
  @ApiProperty() county: string;
  @ApiProperty() hostOrganisation: string;
}

export class PublicNoticeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'First working day of the period (Asia/Shanghai)' }) firstDay: string;
  @ApiProperty({ description: 'Last working day of the period (Asia/Shanghai)' }) lastDay: string;
  @ApiProperty({ description: 'Objections are accepted until this instant (24:00 Beijing time of the last day)' }) closesAt: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty({ type: [PublicCandidateDto] }) candidates: PublicCandidateDto[];
}
export const PublicNoticePageDto = pageDtoOf(PublicNoticeDto, 'PublicNoticePageDto');
export type PublicNoticePageDto = Page<PublicNoticeDto>;

export class NoticeCandidateDto extends PublicCandidateDto {
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ type: String, nullable: true }) number: string | null;
  @ApiProperty({ enum: ['listed', 'closed', 'upheld'] }) outcome: string;
}

export class NoticeDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) callId: string;
  @ApiProperty() title: string;
  @ApiProperty() days: number;
  @ApiProperty() firstDay: string;
  @ApiProperty() lastDay: string;
  @ApiProperty() closesAt: string;
  @ApiProperty({ enum: ['open', 'closed'] }) status: string;
  @ApiProperty() publishedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) closedAt: string | null;
  @ApiProperty({ type: [NoticeCandidateDto] }) candidates: NoticeCandidateDto[];
}
export const NoticePageDto = pageDtoOf(NoticeDto, 'NoticePageDto');
export type NoticePageDto = Page<NoticeDto>;

/**
 * An objection: a person gives a real name and a contact, an organisation its name, a contact
 * person and a contact. Missing identity answers 422 notice.objection_anonymous (checked by the
 * service, so the code says why); lengths are bounded here and again, with their own code, there.
 */
export class ObjectionRequest {
  @ApiProperty({ format: 'uuid', description: 'The candidate objected to (an id from the notice)' }) @IsUUID() candidateId: string;
  @ApiProperty({ enum: ['person', 'organisation'] }) @IsIn(['person', 'organisation']) objectorType: 'person' | 'organisation';
  @ApiPropertyOptional({ description: 'Real name of the person, or the organisation’s contact person' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  name?: string;
  @ApiPropertyOptional({ description: 'Organisation: its full name' }) @IsOptional() @IsString() @MaxLength(200) organisationName?: string;
  @ApiPropertyOptional({ description: 'A phone number or an email address' }) @IsOptional() @IsString() @MaxLength(100) contact?: string;
  @ApiProperty({ description: 'The objection and its facts, 10 to 5,000 characters' }) @IsString() @MaxLength(20_000) text: string;
}

export class ObjectionReceiptDto {
  @ApiProperty({ example: '26-K7QX3M9P', description: 'Quote it when asking about the objection' }) receipt: string;
  @ApiProperty() lodgedAt: string;
}

export class ObjectionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() receipt: string;
  @ApiProperty({ format: 'uuid' }) candidateId: string;
  @ApiProperty({ format: 'uuid' }) applicationId: string;
  @ApiProperty({ enum: ['person', 'organisation'] }) objectorType: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null once the personal data is purged' }) name: string | null;
  @ApiProperty({ type: String, nullable: true }) organisationName: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null once the personal data is purged' }) contact: string | null;
  @ApiProperty() text: string;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the organisation’s sealed letter arrived (GET …/letter)',
  })
  letterReceivedAt: string | null;
  @ApiProperty({ enum: ['open', 'upheld', 'dismissed'] }) status: string;
  @ApiProperty({ nullable: true, enum: ['decision', 'rejected'] }) upheldOutcome: string | null;
  @ApiProperty({ type: String, nullable: true }) resolution: string | null;
  @ApiProperty() lodgedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the objector’s name, unit, contact and letter were erased (retention period after the objections closed)',
  })
  personalDataPurgedAt: string | null;
}

export class ObjectionDecisionRequest {
  @ApiProperty({ enum: ['upheld', 'dismissed'] }) @IsIn(['upheld', 'dismissed']) decision: 'upheld' | 'dismissed';
  @ApiPropertyOptional({ enum: ['decision', 'rejected'], description: 'Upheld: back to decision (default) or rejected' })
  @IsOptional()
  @IsIn(['decision', 'rejected'])
  outcome?: 'decision' | 'rejected';
  @ApiProperty({ description: 'The investigation’s findings' }) @IsString() @MaxLength(5000) resolution: string;
}

function mapPublicCandidate(c: NoticeCandidate): PublicCandidateDto {
  return {
    id: c.id,
    name: c.name,
    platformType: c.platformType,
    level: c.level,
    county: c.countyName,
    hostOrganisation: c.hostOrganisationName,
  };
}

export function mapPublicNotice({ notice, candidates }: NoticeWithCandidates): PublicNoticeDto {
  return {
    id: notice.id,
    title: notice.title,
    firstDay: notice.firstDay,
    lastDay: notice.lastDay,
    closesAt: notice.closesAt.toISOString(),
    status: notice.status,
    candidates: candidates.map(mapPublicCandidate),
  };
}

export function mapNotice({ notice, candidates }: NoticeWithCandidates): NoticeDto {
  return {
    id: notice.id,
    callId: notice.callId,
    title: notice.title,
    days: notice.days,
    firstDay: notice.firstDay,
    lastDay: notice.lastDay,
    closesAt: notice.closesAt.toISOString(),
    status: notice.status,
    publishedAt: notice.publishedAt.toISOString(),
    closedAt: notice.closedAt?.toISOString() ?? null,
    candidates: candidates.map((c) => ({ ...mapPublicCandidate(c), applicationId: c.applicationId, number: c.number, outcome: c.outcome })),
  };
}

export function mapObjection(o: Objection): ObjectionDto {
  return {
    id: o.id,
    receipt: o.receipt,
    candidateId: o.candidateId,
    applicationId: o.applicationId,
    objectorType: o.objectorType,
    name: o.objectorName,
    organisationName: o.organisationName,
    contact: o.contact,
    text: o.text,
    letterReceivedAt: o.letterReceivedAt?.toISOString() ?? null,
    status: o.status,
    upheldOutcome: o.upheldOutcome,
    resolution: o.resolution,
    lodgedAt: o.lodgedAt.toISOString(),
    decidedAt: o.decidedAt?.toISOString() ?? null,
    personalDataPurgedAt: o.personalDataPurgedAt?.toISOString() ?? null,
  };
}
