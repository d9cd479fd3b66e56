import { readdirSync, readFileSync } from 'node:fs';

export interface HostProcess {
	pid: number;
	parentPid: number;
	/** The kernel's short name, e.g. `MainThread` for node. */
	command: string;
	commandLine: string;
	uid: number;
}

function readProcess(pid: number): HostProcess | undefined {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// The command sits in parentheses and may itself contain spaces or parentheses.
		const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
		const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
		const uidLine = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m);
		const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
		return { pid, parentPid, command, commandLine, uid: Number(uidLine?.[1]) };
	} catch {
		return undefined;
	}
}

/** Every live process started, directly or not, by `rootPid`, seen from the host. */
export function descendantsOf(rootPid: number): HostProcess[] {
	const all = readdirSync('/proc')
		.filter((name) => /^\d+$/.test(name))
		.map((name) => readProcess(Number(name)))
		.filter((process) => process !== undefined);
	const found: HostProcess[] = [];
	let frontier = [rootPid];
	while (frontier.length > 0) {
		const children = all.filter((process) => frontier.includes(process.parentPid));
		found.push(...children);
		frontier = children.map((process) => process.pid);
	}
	return found;
}
