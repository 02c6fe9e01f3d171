// SetBeneficialOwner (type 300): operator → surveillance worker. Declares that the header's account
// belongs to beneficial owner `ownerId` (accounts of one owner, or of a group the operator links, share an
// id); ownerId 0 removes the declaration. Sequenced input like any other, so a replay links the same
// accounts at the same point of the stream.
//
//     32               40
//     +----------------+
//     | ownerId u53    |
//     +----------------+

import { RecordType } from '../types.js';
import { defineLayout } from './layout.js';

export const SetBeneficialOwnerLayout = defineLayout(RecordType.SetBeneficialOwner, 'SetBeneficialOwner', [
  ['ownerId', 'u53'],
] as const);
