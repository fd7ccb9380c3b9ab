import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, MaxLength } from 'class-validator';
import { PageQuery, pageDtoOf, type Page } from '@app/common';
import { LOCALES, ROLES, type Role, type User, type UserLocale } from '@app/identity';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class CreateUserDto {
  @ApiProperty({ example: 'officer@example.cn' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '李四' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ enum: LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: UserLocale;

  @ApiPropertyOptional({ description: 'applicant: the organisation' })
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional({ description: 'county_officer: county or zone code' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  regionCode?: string;

  @ApiPropertyOptional({ description: 'expert: industry codes', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  expertise?: string[];

  @ApiPropertyOptional({ description: 'expert: employer name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @ApiPropertyOptional({ description: "expert: employer's credit code" })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  employerCreditCode?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ enum: LOCALES })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: UserLocale;

  @ApiPropertyOptional({ description: 'true ends every session of the user at once' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  regionCode?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(12)
  @IsString({ each: true })
  expertise?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  employerName?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  employerCreditCode?: string;
}

export class UserListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID()
  organisationId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  regionCode?: string;
}

export class UserIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: string;
  @ApiProperty({ enum: LOCALES }) locale: string;
  @ApiProperty({ nullable: true, type: String }) organisationId: string | null;
  @ApiProperty() isOrganisationOwner: boolean;
  @ApiProperty({ nullable: true, type: String }) regionCode: string | null;
  @ApiProperty({ type: [String] }) expertise: string[];
  @ApiProperty({ nullable: true, type: String }) employerName: string | null;
  @ApiProperty({ nullable: true, type: String }) employerCreditCode: string | null;
  @ApiProperty() emailVerified: boolean;
  @ApiProperty() disabled: boolean;
  @ApiProperty() createdAt: string;
}

export const UserPageDto = pageDtoOf(UserDto, 'UserPageDto');
export type UserPageDto = Page<UserDto>;

export function mapUser(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    locale: u.locale,
    organisationId: u.organisationId,
    isOrganisationOwner: u.isOrganisationOwner,
    regionCode: u.regionCode,
    expertise: u.expertise,
    employerName: u.employerName,
    employerCreditCode: u.employerCreditCode,
    emailVerified: u.emailVerifiedAt !== null,
    disabled: u.disabled,
    createdAt: u.createdAt.toISOString(),
  };
}
