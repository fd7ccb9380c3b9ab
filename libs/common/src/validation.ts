import { type ArgumentMetadata, Injectable, type PipeTransform, ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateBy, type ValidationOptions, buildMessage, isUUID } from 'class-validator';
import { DomainError } from './domain-error';

export interface FieldProblem {
  field: string;
  problems: string[];
}

const CJK = /[\u4e00-\u9fff]/;

/**
 * class-validator's default messages are English only and sometimes cryptic ("must be a Date instance");
 * these say, Chinese first, which field is wrong and what it expects. A message a DTO wrote itself is kept.
 */
const MESSAGES: Record<string, (field: string, args: unknown[]) => string> = {
  isDate: (f) =>
    `${f} 须为 ISO 8601 日期时间，如 2027-03-01T09:00:00+08:00。${f} must be an ISO 8601 date-time, e.g. 2027-03-01T09:00:00+08:00.`,
  isIso8601: (f) => `${f} 须为 ISO 8601 日期，如 2027-03-01。${f} must be an ISO 8601 date, e.g. 2027-03-01.`,
  isUuid: (f) => `${f} 须为 UUID。${f} must be a UUID.`,
  isInt: (f) => `${f} 须为整数。${f} must be an integer.`,
  isNumber: (f) => `${f} 须为数字。${f} must be a number.`,
  isString: (f) => `${f} 须为字符串。${f} must be a string.`,
  isBoolean: (f) => `${f} 须为 true 或 false。${f} must be true or false.`,
  isArray: (f) => `${f} 须为数组。${f} must be an array.`,
  isObject: (f) => `${f} 须为对象。${f} must be an object.`,
  isEmail: (f) => `${f} 须为有效的电子邮箱地址。${f} must be a valid email address.`,
  isNotEmpty: (f) => `${f} 不能为空。${f} must not be empty.`,
  isIn: (f, a) => `${f} 须为以下之一：${list(a)}。${f} must be one of: ${list(a)}.`,
  isEnum: (f, a) => `${f} 须为以下之一：${list(a)}。${f} must be one of: ${list(a)}.`,
  min: (f, a) => `${f} 不能小于 ${String(a[0])}。${f} must not be less than ${String(a[0])}.`,
  max: (f, a) => `${f} 不能大于 ${String(a[0])}。${f} must not be greater than ${String(a[0])}.`,
  minLength: (f, a) => `${f} 至少 ${String(a[0])} 个字符。${f} must be at least ${String(a[0])} characters.`,
  maxLength: (f, a) => `${f} 至多 ${String(a[0])} 个字符。${f} must be at most ${String(a[0])} characters.`,
  arrayMaxSize: (f, a) => `${f} 至多 ${String(a[0])} 项。${f} must have at most ${String(a[0])} items.`,
  arrayMinSize: (f, a) => `${f} 至少 ${String(a[0])} 项。${f} must have at least ${String(a[0])} items.`,
  matches: (f, a) => `${f} 格式不正确（须匹配 ${String(a[0])}）。${f} is malformed (must match ${String(a[0])}).`,
  whitelistValidation: (f) => `不允许字段 ${f}。The field ${f} is not allowed.`,
  nestedValidation: (f) => `${f} 须为对象或对象数组。${f} must be an object or an array of objects.`,
};

function list(args: unknown[]): string {
  const values = Array.isArray(args[0]) ? args[0] : typeof args[0] === 'object' && args[0] !== null ? Object.values(args[0]) : args;
  return values.map(String).join(', ');
}

function describe(field: string, error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  // class-validator keeps each constraint's arguments on the target's metadata only; the few rules that
  // need them (min, max, lengths, isIn, matches) carry them in the default message, so parse them back.
  return Object.entries(constraints).map(([name, message]) => {
    const describeOne = MESSAGES[name];
    if (!describeOne || CJK.test(message)) return message;
    return describeOne(field, argumentsOf(name, message));
  });
}

function argumentsOf(name: string, message: string): unknown[] {
  const number = /(-?\d+(?:\.\d+)?)\D*$/.exec(message);
  if (['min', 'max', 'minLength', 'maxLength', 'arrayMaxSize', 'arrayMinSize'].includes(name) && number) return [number[1]];
  if (name === 'isIn' || name === 'isEnum') {
    const values = /following values: (.*)$/.exec(message);
    return values ? [values[1].split(/,\s*/)] : [];
  }
  if (name === 'matches') {
    const pattern = /must match (.*) regular expression/.exec(message);
    return pattern ? [pattern[1]] : [''];
  }
  return [];
}

/** Every bad field of a class-validator result, nested fields as `parent.child`, each problem Chinese first. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints ? [{ field, problems: describe(field, error) }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** The one 400 answer for bad input: the fields and what is wrong with each. */
export function validationFailed(fields: FieldProblem[]): DomainError {
  return new DomainError('validation', 'request.validation_failed', '请求参数有误。The request has invalid fields.', { fields });
}

/** The global ValidationPipe: unknown fields are refused, and the error names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => validationFailed(fieldProblems(errors)),
  });
}

/** Deepest nesting of arrays and objects a JSON body may have; real forms need fewer than ten levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks a JSON text before anything parses it, in one pass without recursion:
 * - nested deeper than `limit` (brackets inside strings do not count): the transformers and validators walk
 *   bodies recursively, and 1,500 levels overflow their stack;
 * - a `\uD800`-style escape of a lone surrogate: not Unicode text, which validators (encodeURI) and
 *   PostgreSQL (jsonb) reject with an exception rather than an answer.
 */
export function assertAcceptableJson(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c) {
        // A backslash escapes the next character; \uXXXX may be half of a surrogate pair.
        if (text.charCodeAt(index + 1) === 0x75) index = afterUnicodeEscape(text, index);
        else index++;
      } else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) {
        throw new DomainError('validation', 'request.too_deep', `请求体嵌套超过${limit}层。The body is nested too deeply.`, {
          maxDepth: limit,
        });
      }
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
}

/** Index of the last character of the \uXXXX escape at `index` (of the pair, for a surrogate pair). */
function afterUnicodeEscape(text: string, index: number): number {
  const unit = Number.parseInt(text.slice(index + 2, index + 6), 16);
  const isHigh = unit >= 0xd800 && unit <= 0xdbff;
  const isLow = unit >= 0xdc00 && unit <= 0xdfff;
  if (!isHigh && !isLow) return index + 5;
  if (isHigh && text.startsWith('\\u', index + 6)) {
    const next = Number.parseInt(text.slice(index + 8, index + 12), 16);
    if (next >= 0xdc00 && next <= 0xdfff) return index + 11;
  }
  throw new DomainError('validation', 'request.invalid_text', '请求体含有无效的 Unicode 字符。The body contains invalid Unicode text.');
}

/**
 * A finite number with at most `maxDecimalPlaces` decimals. Replaces class-validator's
 * `@IsNumber({ maxDecimalPlaces })`, which throws (500) on numbers printed in exponent form such as 2e-323.
 */
export function IsDecimalNumber(maxDecimalPlaces: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isDecimalNumber',
      constraints: [maxDecimalPlaces],
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && Number(value.toFixed(maxDecimalPlaces)) === value,
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property 须为至多 ${maxDecimalPlaces} 位小数的数字。${each}$property must be a number with at most ${maxDecimalPlaces} decimal places.`,
          options,
        ),
      },
    },
    options,
  );
}

/** A UUID path parameter; a malformed one answers 400 naming the parameter, like any other bad field. */
@Injectable()
export class ParseUuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && isUUID(value)) return value;
    const field = metadata.data ?? 'id';
    throw validationFailed([{ field, problems: [MESSAGES.isUuid(field, [])] }]);
  }
}
