import { z } from "zod";

// zod 4 compiles object parsers with `new Function` when it may: in the browser that is `eval` under
// the page's Content-Security-Policy (no 'unsafe-eval'), which the browser reports as a violation even
// though zod catches it. Parse without it (components/providers.tsx imports this first).
z.config({ jitless: true });
