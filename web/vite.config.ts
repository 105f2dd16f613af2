import { defineConfig } from 'vite';

// The admin UI: a static single-page app. `npm start` serves web/dist beside the API; CDK deploys it
// to a private S3 bucket behind CloudFront.
export default defineConfig({
  root: import.meta.dirname,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
});
