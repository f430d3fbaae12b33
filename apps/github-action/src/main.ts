import { run } from './index';

// The runner's entry (action.yml `runs.main` and `runs.post`, one bundle): the only file with a side effect.
void run();
