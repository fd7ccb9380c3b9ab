import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { LEGAL_FORMS, type LegalForm, type Organisation, type UserLocale, LOCALES } from '@app/identity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class OrganisationInputDto {
  @ApiProperty({ description: '统一社会信用代码 (18 characters, GB 32100-2015)', example: '91350100M000100Y43' })
  @IsString()
  @Length(1, 32)
  creditCode: string;

  @ApiProperty({ example: '温州示例科技有限公司' })
  @Transform(trim)
  @IsString()
  @Length(2, 200)
  name: string;

  @ApiProperty({ enum: LEGAL_FORMS })
  @IsIn(LEGAL_FORMS)
  legalForm: LegalForm;

  @ApiProperty({ description: 'County or zone code (GET /regions)', example: 'lucheng' })
  @IsString()
  @MaxLength(32)
  regionCode: string;

  @ApiProperty({ description: 'Industry codes (GET /industries)', example: ['trad.electrical'], type: [String] })
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  industryCodes: string[];

  @ApiProperty({ example: '浙江省温州市鹿城区示范路1号' })
  @Transform(trim)
  @IsString()
  @Length(2, 300)
  address: string;

  @ApiProperty({ example: '张三' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  contactName: string;

  @ApiProperty({ example: '0577-88000001' })
  @IsString()
  @Length(5, 32)
  contactPhone: string;

  @ApiPropertyOptional({ example: 'contact@example.cn' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  contactEmail?: string;
}

export class UpdateOrganisationDto extends PartialType(OrganisationInputDto) {}

export class OrganisationListQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this county or zone' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  regionCode?: string;

  @ApiPropertyOptional({ description: 'Name contains, or exact credit code' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class OrganisationIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class InvitationDto {
  @ApiProperty({ example: 'colleague@example.cn' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '王五' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: UserLocale;
}

export class OrganisationDto {
  @ApiProperty() id: string;
  @ApiProperty() creditCode: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: LEGAL_FORMS }) legalForm: string;
  @ApiProperty() regionCode: string;
  @ApiProperty({ type: [String] }) industryCodes: string[];
  @ApiProperty() address: string;
  @ApiProperty() contactName: string;
  @ApiProperty() contactPhone: string;
  @ApiProperty({ nullable: true, type: String }) contactEmail: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export const OrganisationPageDto = pageDtoOf(OrganisationDto, 'OrganisationPageDto');
export type OrganisationPageDto = Page<OrganisationDto>;

export function mapOrganisation(o: Organisation): OrganisationDto {
  return {
    id: o.id,
    creditCode: o.creditCode,
    name: o.name,
    legalForm: o.legalForm,
    regionCode: o.regionCode,
    industryCodes: o.industryCodes,
    address: o.address,
    contactName: o.contactName,
    contactPhone: o.contactPhone,
    contactEmail: o.contactEmail,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}
