// Compiles our Sass with GOV.UK Frontend and copies the assets we serve into
// static/build/ (build output: never committed). Run by `npm run build`.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

for (const name of ["perfsite", "perfsite-print"]) {
  const result = sass.compile(join(root, "static", "scss", `${name}.scss`), {
    loadPaths: [join(root, "node_modules")],
    style: "compressed",
    quietDeps: true,
  });
  writeFileSync(join(out, `${name}.css`), result.css);
}

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// No crown and no GDS Transport. GOV.UK Frontend's footer CSS still names the royal crest,
// which a council may not show; we never use that markup, but collectstatic's manifest
// must find the file, so it gets an empty image.
const images = join(root, "static", "govuk", "assets", "images");
mkdirSync(images, { recursive: true });
writeFileSync(join(images, "govuk-crest.svg"), '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n');
console.log(`built assets into ${out}`);
