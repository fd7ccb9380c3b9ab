import { ApplicationsModule, DossierStatistics } from '@app/applications';
import { TargetsModule } from '@app/targets';

/** Targets with the forecast's dossier counts from libs/applications; one module instance for every API module that imports it. */
export const TargetsWithDossiers = TargetsModule.forRoot({ module: ApplicationsModule, counts: DossierStatistics });
