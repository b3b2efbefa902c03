// Hostile input on the staff pages and staff actions (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('staff pages and staff actions', AREAS.admin);
