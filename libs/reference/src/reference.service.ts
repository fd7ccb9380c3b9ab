import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, LessThanOrEqual, MoreThan, type FindOptionsWhere, type Repository } from 'typeorm';
import { Industry } from './industry.entity';
import { PLATFORM_TYPES, type PlatformTypeInfo } from './platform-types';
import { Region } from './region.entity';

/** Today's date in Asia/Shanghai as YYYY-MM-DD: validity of dictionary rows is by local date. */
export function shanghaiDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(at);
}

function validOn<T extends { validFrom: string; validTo: string | null }>(date: string): FindOptionsWhere<T>[] {
  return [
    { validFrom: LessThanOrEqual(date), validTo: IsNull() } as FindOptionsWhere<T>,
    { validFrom: LessThanOrEqual(date), validTo: MoreThan(date) } as FindOptionsWhere<T>,
  ];
}

@Injectable()
export class ReferenceService {
  constructor(
    @InjectRepository(Region) private readonly regions: Repository<Region>,
    @InjectRepository(Industry) private readonly industries: Repository<Industry>,
  ) {}

  /** Regions valid on the given date (zones get reorganised: validity is data). */
  listRegions(asOf: Date): Promise<Region[]> {
    return this.regions.find({ where: validOn<Region>(shanghaiDate(asOf)), order: { sortOrder: 'ASC' } });
  }

  listIndustries(asOf: Date): Promise<Industry[]> {
    return this.industries.find({ where: validOn<Industry>(shanghaiDate(asOf)), order: { sortOrder: 'ASC' } });
  }

  listPlatformTypes(): readonly PlatformTypeInfo[] {
    return PLATFORM_TYPES;
  }
}
