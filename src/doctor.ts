import { runDoctor } from './doctor/run-doctor.js';

const { ok, report } = await runDoctor(process.env);
console.log(report);
process.exit(ok ? 0 : 1);
