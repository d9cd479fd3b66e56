import { DiscordHttpError, discordErrors, InvalidFormBodyError, RateLimitError } from './discord-errors.js';
import type { FaultInjector } from './fault-injector.js';
import type { ParsedRequest } from './http-request.js';
import type { OpenApiBodyValidator } from './openapi-validator.js';
import type { UnhandledRoute, ValidationFailure } from './recorded-request.js';
import { findMostSpecific } from './route-template.js';
import type { RouteDefinition, RouteReply } from './stand-in-state.js';

export interface RestPipelineOptions {
	routes: RouteDefinition[];
	validator: OpenApiBodyValidator;
	faults: FaultInjector;
	botToken: string;
	onValidationFailure(failure: ValidationFailure): void;
	onUnhandledRoute(route: UnhandledRoute): void;
}

export interface PipelineResult {
	reply: RouteReply;
	route: string | undefined;
}

const methodsWithBody = new Set(['POST', 'PUT', 'PATCH']);

function errorReply(error: DiscordHttpError): RouteReply {
	const ignoredRunningLimit = error instanceof RateLimitError && error.ignoredRunningLimit;
	return {
		status: error.status,
		body: error.body,
		headers: error.headers,
		...(ignoredRunningLimit && { ignoredRunningLimit }),
	};
}

/** Discord's order of checks: route, authorisation, rate limits, body, then the route's own rules. */
export class RestPipeline {
	constructor(private readonly options: RestPipelineOptions) {}

	async handle(request: ParsedRequest): Promise<PipelineResult> {
		const found = request.underApiV10
			? findMostSpecific(
					this.options.routes.filter((route) => route.method === request.method),
					(route) => route.template,
					request.path,
				)
			: undefined;
		if (!found) {
			this.options.onUnhandledRoute({ method: request.method, path: request.path });
			return { reply: errorReply(discordErrors.notFound()), route: undefined };
		}
		const { match: route, params } = found;
		try {
			this.checkBeforeRoute(request, route);
			const reply = await route.handle(request, params);
			return { reply, route: route.template };
		} catch (error) {
			return { reply: this.replyForError(error, request, route), route: route.template };
		}
	}

	private checkBeforeRoute(request: ParsedRequest, route: RouteDefinition): void {
		if (route.needsBotToken && request.headers.authorization !== `Bot ${this.options.botToken}`) {
			throw discordErrors.unauthorized();
		}
		const rateLimited = this.options.faults.takeRateLimit(request.method, request.path);
		if (rateLimited) throw rateLimited;
		if (request.invalidJson) throw discordErrors.invalidJson();
		if (!methodsWithBody.has(request.method)) return;
		const errors = this.options.validator.validate(request.method, request.path, request.body, request.multipart);
		if (errors.length > 0) throw new InvalidFormBodyError(errors);
	}

	private replyForError(error: unknown, request: ParsedRequest, route: RouteDefinition): RouteReply {
		if (!(error instanceof DiscordHttpError)) {
			console.error(`Discord stand-in failed on ${request.method} ${request.path}`, error);
			return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
		}
		if (error instanceof InvalidFormBodyError) {
			this.options.onValidationFailure({
				method: request.method,
				path: request.path,
				operation: `${request.method} ${route.template}`,
				errors: error.validationErrors,
				body: request.body,
			});
		}
		return errorReply(error);
	}
}
