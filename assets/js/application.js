import { initAll } from "govuk-frontend";

import { scrollWideTables } from "./tables.js";

initAll();
scrollWideTables(document);
