import type { z } from 'zod';
import { errorFromAnswer, errorFromUnfitAnswer, parseJsonOrUndefined } from './failures.js';
import type { RequestContext } from './request-context.js';
import type { HttpAnswer } from './transport.js';

export function parseAnswer<Schema extends z.ZodType>(
	context: RequestContext,
	answer: HttpAnswer,
	schema: Schema,
): z.output<Schema> {
	if (answer.status < 200 || answer.status >= 300) throw errorFromAnswer(context, answer);
	const json = parseJsonOrUndefined(answer.text);
	if (json === undefined) {
		throw errorFromUnfitAnswer(context, answer, { reason: 'a body that is not JSON', isJson: false });
	}
	const parsed = schema.safeParse(json);
	if (!parsed.success) {
		const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
		throw errorFromUnfitAnswer(context, answer, {
			reason: `a body of the wrong shape (${context.redact(issues.join('; '))})`,
			isJson: true,
		});
	}
	return parsed.data;
}
