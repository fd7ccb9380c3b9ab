import contract from '../../../../api/openapi.json';
import type { paths } from '../../api/client';

/**
 * The dossier editor's fields, read from the committed contract (apps/api/openapi.json) at run time:
 * the request of POST /applications is a oneOf with a discriminator on platformType, each branch
 * naming its form schema. A field added to a form in the API appears in the editor by itself.
 */

type CreateBody = paths['/applications']['post']['requestBody']['content']['application/json'];
type UpdateBody = NonNullable<paths['/applications/{id}']['patch']['requestBody']>['content']['application/json'];
export type PlatformType = CreateBody['platformType'];

export type FieldKind = 'boolean' | 'integer' | 'number' | 'date' | 'enum' | 'text';
export type FormValue = string | number | boolean;
export type FormValues = Record<string, FormValue | undefined>;

export interface FormField {
  name: string;
  kind: FieldKind;
  required: boolean;
  /** The allowed values of an enum field. */
  options: string[];
  description: string | null;
  minimum: number | null;
  maximum: number | null;
  maxLength: number | null;
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isRecord(current) ? current[key] : undefined;
  return current;
}

const document: unknown = contract;

/** Follows a local `$ref` (#/components/schemas/X) to the schema it names. */
function resolve(schema: unknown): Json | null {
  const ref = at(schema, '$ref');
  const target = typeof ref === 'string' ? at(document, ...ref.replace(/^#\//, '').split('/')) : schema;
  return isRecord(target) ? target : null;
}

const numberOr = (value: unknown): number | null => (typeof value === 'number' ? value : null);

function fieldOf(name: string, schema: Json, required: boolean): FormField | null {
  const enumValues = Array.isArray(schema.enum) ? schema.enum.filter((v): v is string => typeof v === 'string') : [];
  const type = schema.type;
  let kind: FieldKind | null = null;
  if (enumValues.length > 0) kind = 'enum';
  else if (type === 'boolean') kind = 'boolean';
  else if (type === 'integer') kind = 'integer';
  else if (type === 'number') kind = 'number';
  else if (type === 'string') kind = schema.format === 'date' ? 'date' : 'text';
  if (!kind) return null;
  return {
    name,
    kind,
    required,
    options: enumValues,
    description: typeof schema.description === 'string' ? schema.description : null,
    minimum: numberOr(schema.minimum),
    maximum: numberOr(schema.maximum),
    maxLength: numberOr(schema.maxLength),
  };
}

/** The branch schemas of a request's discriminator, by platform type. */
function branches(path: string, method: string): Record<string, Json> {
  const body = at(document, 'paths', path, method, 'requestBody', 'content', 'application/json', 'schema');
  const mapping = at(body, 'discriminator', 'mapping');
  const result: Record<string, Json> = {};
  if (!isRecord(mapping)) return result;
  for (const [type, ref] of Object.entries(mapping)) {
    const branch = resolve({ $ref: ref });
    if (branch) result[type] = branch;
  }
  return result;
}

const createBranches = branches('/applications', 'post');
const updateBranches = branches('/applications/{id}', 'patch');

/** The platform types a dossier can be created for (the discriminator's values). */
export const PLATFORM_TYPES: string[] = Object.keys(createBranches);

/** The form's fields of a platform type, in the contract's order. */
export function formFields(platformType: string): FormField[] {
  const form = resolve(at(createBranches[platformType], 'properties', 'form'));
  const properties = form?.properties;
  if (!form || !isRecord(properties)) return [];
  const required = Array.isArray(form.required) ? form.required : [];
  return Object.entries(properties).flatMap(([name, property]) => {
    const schema = resolve(property);
    const field = schema ? fieldOf(name, schema, required.includes(name)) : null;
    return field ? [field] : [];
  });
}

/** Whether a value has the field's type (an empty value is left out of the form, not sent). */
function fits(field: FormField, value: FormValue): boolean {
  switch (field.kind) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'enum':
      return typeof value === 'string' && field.options.includes(value);
    default:
      return typeof value === 'string';
  }
}

/** The filled values that fit the platform type's form; anything else is left out. */
export function cleanForm(platformType: string, values: FormValues): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const field of formFields(platformType)) {
    const value = values[field.name];
    if (value !== undefined && value !== '' && fits(field, value)) form[field.name] = value;
  }
  return form;
}

/** A form answered by the API (one of the platform types' forms) as editable values. */
export function valuesOf(form: object): FormValues {
  const values: FormValues = {};
  for (const [name, value] of Object.entries(form))
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') values[name] = value;
  return values;
}

/**
 * Checks a request body against the contract's branch for its platform type: every property the
 * branch declares, the form's fields of the declared types. The type guard is what lets a body built
 * from the generated fields go to openapi-fetch without a cast.
 */
function fitsBranch(branch: Json | undefined, body: Json): boolean {
  const properties = branch?.properties;
  if (!branch || !isRecord(properties)) return false;
  const required = Array.isArray(branch.required) ? branch.required : [];
  if (!required.every((name) => typeof name === 'string' && body[name] !== undefined)) return false;
  if (!Object.keys(body).every((name) => name in properties)) return false;
  const type = body.platformType;
  const form = body.form;
  if (form === undefined) return true;
  if (typeof type !== 'string' || !isRecord(form)) return false;
  const fields = new Map(formFields(type).map((field) => [field.name, field]));
  return Object.entries(form).every(([name, value]) => {
    const field = fields.get(name);
    return (
      field !== undefined && (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && fits(field, value)
    );
  });
}

export function isCreateBody(body: Json): body is CreateBody & Json {
  return typeof body.platformType === 'string' && fitsBranch(createBranches[body.platformType], body);
}

export function isUpdateBody(body: Json): body is UpdateBody & Json {
  return typeof body.platformType === 'string' && fitsBranch(updateBranches[body.platformType], body);
}
