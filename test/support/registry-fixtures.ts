import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Role, User } from '@app/identity';
import { type Platform, type RecognitionInput, RegistryService } from '@app/registry';
import { makeOrganisation, makeUser } from '../../libs/identity/src/testing/identity-fixtures';
import type { TestApp } from './app';

/** Creates a user of the role and signs in through the API; returns the bearer header value. */
export async function signIn(test: TestApp, role: Role, overrides: Partial<User> = {}): Promise<string> {
  const db = test.app.get(DataSource);
  const fields: Partial<User> = { role, ...overrides };
  if (role === 'applicant' && !fields.organisationId) {
    fields.organisationId = (await makeOrganisation(db)).id;
    fields.isOrganisationOwner = true;
  }
  if (role === 'county_officer' && !fields.regionCode) fields.regionCode = 'lucheng';
  if (role === 'expert' && !fields.expertise) fields.expertise = ['emerg.digital'];
  const user = await makeUser(db, fields);
  const response = await request(test.baseUrl).post('/auth/login').send({ email: user.email, password: user.password }).expect(200);
  return `Bearer ${response.body.accessToken as string}`;
}

let serial = 0;

/** A recognition with sensible defaults; each call gets its own name and document number. */
export function makeRecognition(overrides: Partial<RecognitionInput> = {}): RecognitionInput {
  serial += 1;
  const tag = `${serial}-${randomBytes(3).toString('hex')}`;
  return {
    applicationId: null,
    type: 'key_lab',
    level: 'municipal',
    subtype: null,
    name: `测试平台${tag}`,
    organisationId: null,
    organisationName: `测试依托单位${tag}`,
    creditCode: null,
    regionCode: 'lucheng',
    industries: ['trad.electrical'],
    recognisedOn: '2024-01-15',
    documentNumber: `温科发〔2024〕${tag}号`,
    ...overrides,
  };
}

/** Enters a platform as the dossier workflow does: RegistryService.recordRecognition in a transaction. */
export async function recognise(test: TestApp, overrides: Partial<RecognitionInput> = {}): Promise<Platform> {
  const registry = test.app.get(RegistryService);
  const db = test.app.get(DataSource);
  return db.transaction((manager) => registry.recordRecognition(manager, makeRecognition(overrides)));
}
