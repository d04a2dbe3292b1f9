// Copies GOV.UK Frontend's fonts, images and manifest, and axe-core for the accessibility tests.
import { cpSync, mkdirSync } from "node:fs";

const from = "node_modules/govuk-frontend/dist/govuk/assets";
mkdirSync("assets/build", { recursive: true });
cpSync(`${from}/fonts`, "assets/build/fonts", { recursive: true });
cpSync(`${from}/images`, "assets/build/images", { recursive: true });
cpSync(`${from}/manifest.json`, "assets/build/manifest.json");
