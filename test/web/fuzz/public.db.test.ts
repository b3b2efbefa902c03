// Hostile input on the public and sign-in pages (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('public and sign-in pages', AREAS.public);
