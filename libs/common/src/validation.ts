import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidateBy, type ValidationOptions, buildMessage } from 'class-validator';
import { DomainError } from './domain-error';

interface FieldProblem {
  field: string;
  problems: string[];
}

function flatten(errors: ValidationError[], parent = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: FieldProblem[] = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** The global ValidationPipe: unknown fields are refused, and the error names every bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) =>
      new DomainError('validation', 'request.validation_failed', '请求参数有误。The request has invalid fields.', {
        fields: flatten(errors),
      }),
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
          (each) => `${each}$property must be a number with at most ${maxDecimalPlaces} decimal places`,
          options,
        ),
      },
    },
    options,
  );
}
