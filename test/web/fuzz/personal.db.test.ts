// Hostile input on the two-factor, privacy, bookmarks and notifications (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('two-factor, privacy, bookmarks and notifications', AREAS.personal);
