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
 * Refuses a JSON text nested deeper than `limit` before anything parses it: the transformers and
 * validators walk bodies recursively, and 1,500 levels overflow their stack. One pass, no recursion;
 * brackets inside strings do not count.
 */
export function assertJsonDepth(text: string, limit = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index);
    if (inString) {
      if (char === 0x5c)
        index++; // backslash: the next character is escaped
      else if (char === 0x22) inString = false;
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
