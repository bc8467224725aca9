import type { CaseSource } from '../script.js';
import { brBoardQuarterly } from './br-board-quarterly.js';
import { brCondoNoQuorum } from './br-condo-no-quorum.js';
import { brGeneralTeamSync } from './br-general-team-sync.js';
import { brShareholdersAgo } from './br-shareholders-ago.js';
import { enBoardNoQuorum } from './en-board-no-quorum.js';
import { enBoardStartup } from './en-board-startup.js';
import { enGeneralProjectReview } from './en-general-project-review.js';
import { enHoaAnnual } from './en-hoa-annual.js';
import { enShareholdersAgm } from './en-shareholders-agm.js';
import { esAsociacionVecinalAtaEn } from './es-asociacion-vecinal-ata-en.js';
import { esComunidadPropietarios } from './es-comunidad-propietarios.js';
import { esJuntaAccionistas } from './es-junta-accionistas.js';
import { esJuntaDirectiva } from './es-junta-directiva.js';

export const cases: CaseSource[] = [
  brBoardQuarterly,
  brCondoNoQuorum,
  brGeneralTeamSync,
  brShareholdersAgo,
  enBoardNoQuorum,
  enBoardStartup,
  enGeneralProjectReview,
  enHoaAnnual,
  enShareholdersAgm,
  esAsociacionVecinalAtaEn,
  esComunidadPropietarios,
  esJuntaAccionistas,
  esJuntaDirectiva,
];
