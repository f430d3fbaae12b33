import { run } from './index';

// The runner's entry (action.yml `runs.main` and `runs.post`, one bundle): the only file with a side effect. After the
// verdict the process ends even if a misbehaving proxy left sockets open (local-action calls run() itself, without
// owning the process: no V8 tuning, no forced exit).
void run({}, { ownsProcess: true });
