// Hostile input on the profiles, settings, sessions and invites (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('profiles, settings, sessions and invites', AREAS.accounts);
