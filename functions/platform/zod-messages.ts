/**
 * English validation messages for zod/mini, which ships without a locale ("Invalid input" for
 * everything). Imported for its effect by every module that defines schemas; importing the one
 * locale keeps the others out of the bundles (`z.locales` would pull in all of them, ~250 KB).
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());
