import { plainToInstance } from 'class-transformer';
import { IsDate, IsIn, IsInt, IsISO8601, IsOptional, Matches, Max, MaxLength, validateSync } from 'class-validator';
import { Type } from 'class-transformer';
import { ParseUuidPipe, fieldProblems } from './validation';
import { DomainError } from './domain-error';

class Sample {
  @Type(() => Date) @IsDate() opensAt: Date;
  @IsOptional() @IsISO8601({ strict: true }) dueOn?: string;
  @IsOptional() @IsInt() @Max(10_000_000) rdAreaM2?: number;
  @IsOptional() @IsIn(['draft', 'open']) status?: string;
  @IsOptional() @MaxLength(5) title?: string;
  @IsOptional() @Matches(/^[a-z]+$/, { message: '代码无效。Invalid code.' }) code?: string;
}

const problemsOf = (plain: object): Record<string, string[]> =>
  Object.fromEntries(fieldProblems(validateSync(plainToInstance(Sample, plain))).map((p) => [p.field, p.problems]));

describe('validation messages', () => {
  it('say, Chinese first, which field is wrong and what it expects; a message of its own is kept', () => {
    expect(
      problemsOf({ opensAt: 'next tuesday', dueOn: '2027-13-01', rdAreaM2: 20_000_000, status: 'gone', title: 'too long', code: 'X' }),
    ).toEqual({
      opensAt: [
        'opensAt 须为 ISO 8601 日期时间，如 2027-03-01T09:00:00+08:00。opensAt must be an ISO 8601 date-time, e.g. 2027-03-01T09:00:00+08:00.',
      ],
      dueOn: ['dueOn 须为 ISO 8601 日期，如 2027-03-01。dueOn must be an ISO 8601 date, e.g. 2027-03-01.'],
      rdAreaM2: ['rdAreaM2 不能大于 10000000。rdAreaM2 must not be greater than 10000000.'],
      status: ['status 须为以下之一：draft, open。status must be one of: draft, open.'],
      title: ['title 至多 5 个字符。title must be at most 5 characters.'],
      code: ['代码无效。Invalid code.'],
    });
  });

  it('name a malformed UUID path parameter', () => {
    const pipe = new ParseUuidPipe();
    expect(pipe.transform('0b6f7c4e-2f1a-4c3e-9d5b-1a2b3c4d5e6f', { type: 'param', data: 'id' })).toBe(
      '0b6f7c4e-2f1a-4c3e-9d5b-1a2b3c4d5e6f',
    );
    let thrown: unknown;
    try {
      pipe.transform('42', { type: 'param', data: 'attachmentId' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DomainError);
    expect(thrown).toMatchObject({
      kind: 'validation',
      details: { fields: [{ field: 'attachmentId', problems: ['attachmentId 须为 UUID。attachmentId must be a UUID.'] }] },
    });
  });
});
