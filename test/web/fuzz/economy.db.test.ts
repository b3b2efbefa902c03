// Hostile input on the bonus, shop, requests and classes (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('bonus, shop, requests and classes', AREAS.economy);
