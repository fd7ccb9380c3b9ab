import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TransitionEffects } from '@app/database';
import { OrganisationsService } from '@app/identity';
import type { PlatformLevel, PlatformTypeCode } from '@app/reference';
import type { EffectOf, TransitionContext } from '@app/workflow';
import { RegistryService } from './registry.service';

/** The effect of a dossier's transition this lib owns: recognition enters the platform into the registry. */
@Injectable()
export class RecognitionEffects implements OnModuleInit {
  constructor(
    private readonly effects: TransitionEffects,
    private readonly registry: RegistryService,
    private readonly organisations: OrganisationsService,
  ) {}

  onModuleInit(): void {
    this.effects.register('registry', ['register_platform'], (manager, effects, context) => this.register(manager, effects, context));
  }

  private async register(manager: EntityManager, effects: EffectOf<'register_platform'>[], { dossier }: TransitionContext): Promise<void> {
    for (const registration of effects) {
      const organisation = await this.organisations.recordOf(manager, dossier.organisationId);
      await this.registry.recordRecognition(manager, {
        applicationId: dossier.id,
        type: dossier.platformType as PlatformTypeCode,
        level: dossier.level as PlatformLevel,
        subtype: dossier.subtype,
        name: dossier.name,
        organisationId: dossier.organisationId,
        organisationName: organisation?.name ?? dossier.name,
        creditCode: organisation?.creditCode ?? null,
        regionCode: dossier.regionCode,
        industries: dossier.industries,
        recognisedOn: registration.recognisedOn,
        documentNumber: registration.documentNumber,
        promotedFromId: dossier.promotedFromPlatformId,
        professionalOperator: dossier.professionalOperator,
      });
    }
  }
}
