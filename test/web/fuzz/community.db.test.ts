// Hostile input on the inbox, appeals, reports and news (test/helpers/fuzz.ts): never a 500.
import { describeFuzzArea } from '../../helpers/fuzz.js';
import { AREAS } from '../../helpers/fuzz-areas.js';

describeFuzzArea('inbox, appeals, reports and news', AREAS.community);
