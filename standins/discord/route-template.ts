export type PathParams = Record<string, string>;

/** Matches `/channels/{channel_id}/messages` against a concrete path; literal segments must match exactly. */
function matchTemplate(template: string, path: string): PathParams | undefined {
	const templateSegments = template.split('/');
	const pathSegments = path.split('/');
	if (templateSegments.length !== pathSegments.length) return undefined;
	const params: PathParams = {};
	for (const [index, templateSegment] of templateSegments.entries()) {
		const segment = pathSegments[index] ?? '';
		if (templateSegment.startsWith('{') && templateSegment.endsWith('}')) {
			if (segment === '') return undefined;
			params[templateSegment.slice(1, -1)] = segment;
		} else if (templateSegment !== segment) {
			return undefined;
		}
	}
	return params;
}

function literalSegmentCount(template: string): number {
	return template.split('/').filter((segment) => !segment.startsWith('{')).length;
}

/** `/messages/@original` must win over `/messages/{message_id}`, as it does at Discord. */
export function findMostSpecific<T>(
	candidates: Iterable<T>,
	templateOf: (candidate: T) => string,
	path: string,
): { match: T; params: PathParams } | undefined {
	let best: { match: T; params: PathParams; literals: number } | undefined;
	for (const candidate of candidates) {
		const template = templateOf(candidate);
		const params = matchTemplate(template, path);
		if (!params) continue;
		const literals = literalSegmentCount(template);
		if (!best || literals > best.literals) best = { match: candidate, params, literals };
	}
	return best && { match: best.match, params: best.params };
}
