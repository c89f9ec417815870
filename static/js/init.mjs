import { initAll } from "../build/govuk-frontend.min.js";
import "./unsaved-changes.mjs";
import "./sections.mjs";

initAll();
