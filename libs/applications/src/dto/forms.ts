import { ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { fieldProblems } from '@app/common';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, validateSync } from 'class-validator';

const MAX_AMOUNT = 1_000_000_000_000; // yuan
const MAX_AREA = 10_000_000; // m2
const MAX_PEOPLE = 1_000_000;

/** Fields are optional while drafting; eligibility rules decide what a submission needs. */
export class IncubatorForm {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() independentLegalPerson?: boolean;
  @ApiPropertyOptional({ format: 'date', example: '2022-03-01' }) @IsOptional() @IsISO8601({ strict: true }) operatingSince?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() siteOwned?: boolean;
  @ApiPropertyOptional({ description: 'Lease term in years', type: 'integer', minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  leaseYears?: number;
  @ApiPropertyOptional({ description: 'm2', type: 'integer', minimum: 0, maximum: MAX_AREA })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA)
  areaM2?: number;
  @ApiPropertyOptional({ description: 'm2 used by incubated firms', type: 'integer', minimum: 0, maximum: MAX_AREA })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA)
  incubatedAreaM2?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  incubatedFirms?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  graduatedFirms?: number;
  @ApiPropertyOptional({ description: 'Seed fund, yuan', type: 'integer', minimum: 0, maximum: MAX_AMOUNT })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  seedFundYuan?: number;
  @ApiPropertyOptional({ description: '专业运营机构' }) @IsOptional() @IsBoolean() professionalOperator?: boolean;
}

export class MakerSpaceForm {
  @ApiPropertyOptional({ format: 'date', example: '2022-03-01' }) @IsOptional() @IsISO8601({ strict: true }) operatingSince?: string;
  @ApiPropertyOptional({ description: 'm2', type: 'integer', minimum: 0, maximum: MAX_AREA })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA)
  areaM2?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  workstations?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  teamsPerYear?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  newFirmsPerYear?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE }) @IsOptional() @IsInt() @Min(0) @Max(MAX_PEOPLE) staff?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  mentors?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  eventsPerYear?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() professionalOperator?: boolean;
}

export class NewRdInstitutionForm {
  @ApiPropertyOptional({ enum: ['enterprise', 'public_institution', 'social_organisation'] })
  @IsOptional()
  @IsIn(['enterprise', 'public_institution', 'social_organisation'])
  legalForm?: string;
  @ApiPropertyOptional({ format: 'date', example: '2022-03-01' }) @IsOptional() @IsISO8601({ strict: true }) operatingSince?: string;
  @ApiPropertyOptional({ description: 'yuan', type: 'integer', minimum: 0, maximum: MAX_AMOUNT })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  equipmentYuan?: number;
  @ApiPropertyOptional({ description: 'm2', type: 'integer', minimum: 0, maximum: MAX_AREA })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AREA)
  rdAreaM2?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  rdStaff?: number;
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_PEOPLE })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PEOPLE)
  totalStaff?: number;
  @ApiPropertyOptional({ description: 'yuan per year', type: 'integer', minimum: 0, maximum: MAX_AMOUNT })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  rdSpendYuan?: number;
  @ApiPropertyOptional({ description: 'yuan per year', type: 'integer', minimum: 0, maximum: MAX_AMOUNT })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT)
  incomeYuan?: number;
}

export class KeyLabForm {
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hostIsWenzhouLegalPerson?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hasDirector?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() hasAcademicCommittee?: boolean;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) directorName?: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) researchDirections?: string;
}

export const FORM_CLASSES = {
  incubator: IncubatorForm,
  maker_space: MakerSpaceForm,
  new_rd_institution: NewRdInstitutionForm,
  key_lab: KeyLabForm,
} as const;

/** A dossier's form in a document: one of the platform types' forms (its platformType says which); list FORM_CLASSES in ApiExtraModels. */
export const ANY_FORM_SCHEMA = { anyOf: Object.values(FORM_CLASSES).map((form) => ({ $ref: getSchemaPath(form) })) };

/** Validates a form against its platform type's class; unknown fields are refused. Returns the problems. */
export function validateForm(platformType: string, form: Record<string, unknown>): { field: string; problems: string[] }[] {
  const formClass: (new () => object) | undefined = FORM_CLASSES[platformType as keyof typeof FORM_CLASSES];
  if (!formClass) return [{ field: 'form', problems: [`unknown platform type ${platformType}`] }];
  const instance = plainToInstance(formClass, form);
  return fieldProblems(validateSync(instance, { whitelist: true, forbidNonWhitelisted: true }), 'form');
}
