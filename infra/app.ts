import { buildApp } from './tendril-app.js';

buildApp().app.synth();
