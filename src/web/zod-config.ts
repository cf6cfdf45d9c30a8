import { z } from 'zod';

// zod 4 compiles object parsers with `new Function` when it can, and probes for that by trying once. The web
// app runs under a Content-Security-Policy without 'unsafe-eval' (issue 14): the probe itself is a reported
// violation. Parsing without the compiled fast path is plenty for forms. Imported first by main.tsx, before any
// schema is built.
z.config({ jitless: true });
