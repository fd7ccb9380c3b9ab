import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmptyObject, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { LOCALES, PASSWORD_MAX_LENGTH, ROLES, type SessionPrincipal, type UserLocale } from '@app/identity';
import { OrganisationInputDto } from '../organisations/organisations.dto';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class RegistrantDto {
  @ApiProperty({ example: 'zhangsan@example.cn' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: '张三' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ minLength: 12, maxLength: PASSWORD_MAX_LENGTH })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;

  @ApiPropertyOptional({ enum: LOCALES, default: 'zh-CN' })
  @IsOptional()
  @IsIn(LOCALES)
  locale?: UserLocale;
}

export class RegisterDto {
  @ApiProperty({ type: OrganisationInputDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => OrganisationInputDto)
  organisation: OrganisationInputDto;

  @ApiProperty({ type: RegistrantDto })
  @IsNotEmptyObject()
  @ValidateNested()
  @Type(() => RegistrantDto)
  user: RegistrantDto;
}

export class RegisteredDto {
  @ApiProperty() organisationId: string;
  @ApiProperty() userId: string;
  @ApiProperty({ description: 'A verification link was emailed; sign-in works after verification' }) emailVerificationRequired: boolean;
}

export class LoginDto {
  @ApiProperty({ example: 'admin@demo.ouflow.cn' })
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(16, 128)
  refreshToken: string;
}

export class TokenDto {
  @ApiProperty({ description: 'The token from the email' })
  @IsString()
  @Length(16, 128)
  token: string;
}

export class ForgotPasswordDto {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto extends TokenDto {
  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  password: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  currentPassword: string;

  @ApiProperty({ minLength: 12 })
  @IsString()
  @MaxLength(PASSWORD_MAX_LENGTH)
  newPassword: string;
}

export class MeDto {
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
}

export class TokensDto {
  @ApiProperty({ description: 'JWT, valid 15 minutes' }) accessToken: string;
  @ApiProperty({ description: 'Single use: each refresh returns a new one' }) refreshToken: string;
  @ApiProperty({ enum: ['Bearer'] }) tokenType: 'Bearer';
  @ApiProperty({ description: 'Seconds until the access token expires' }) expiresIn: number;
}

export class LoginResultDto extends TokensDto {
  @ApiProperty({ type: MeDto }) user: MeDto;
}

export function mapMe(p: Pick<SessionPrincipal, Exclude<keyof SessionPrincipal, 'sessionId'>>): MeDto {
  return {
    id: p.userId,
    email: p.email,
    name: p.name,
    role: p.role,
    locale: p.locale,
    organisationId: p.organisationId,
    isOrganisationOwner: p.isOrganisationOwner,
    regionCode: p.regionCode,
    expertise: p.expertise,
    employerName: p.employerName,
    employerCreditCode: p.employerCreditCode,
  };
}
