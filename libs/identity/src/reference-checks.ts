import type { EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { Industry, Region } from '@app/reference';
import { validateCreditCode } from './credit-code';
import { IdentityErrors } from './identity.errors';

export async function assertRegionExists(manager: EntityManager, code: string): Promise<void> {
  if (!(await manager.exists(Region, { where: { code } }))) throw IdentityErrors.unknownRegion(code);
}

export async function assertIndustriesExist(manager: EntityManager, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const found = await manager.find(Industry, { where: { code: In(codes) }, select: { code: true } });
  const known = new Set(found.map((i) => i.code));
  const unknown = codes.filter((c) => !known.has(c));
  if (unknown.length > 0) throw IdentityErrors.unknownIndustries(unknown);
}

/** The normalised code, or a validation error naming the failed check. */
export function normaliseCreditCode(input: string): string {
  const result = validateCreditCode(input);
  if (!result.valid) throw IdentityErrors.invalidCreditCode(result.check, result.message);
  return result.code;
}
