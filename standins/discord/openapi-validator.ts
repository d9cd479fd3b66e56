import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { BodyValidationError } from './discord-errors.js';
import { findMostSpecific } from './route-template.js';

/** Discord's own spec, vendored with its licence so a fresh clone validates with no network. */
export const defaultOpenApiSpecPath = fileURLToPath(
	new URL('../../vendor/discord-api-spec/openapi.json', import.meta.url),
);

const componentsDocumentId = 'discord-openapi-components.json';

type JsonObject = Record<string, unknown>;

interface OpenApiDocument {
	paths: Record<string, Record<string, JsonObject>>;
	components: JsonObject;
}

function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Where the published spec and real Discord disagree, follow Discord:
 * `default_member_permissions` is documented (and sent by discord.js) as a string of digits,
 * and bots may send (or edit a message to) at most 2000 characters of content even though the spec allows 4000.
 */
function alignSpecWithDiscord(components: JsonObject): void {
	const visit = (node: unknown): void => {
		if (isObject(node) && isObject(node.properties) && isObject(node.properties.default_member_permissions)) {
			node.properties.default_member_permissions = {
				anyOf: [node.properties.default_member_permissions, { type: 'string', pattern: '^[0-9]+$' }],
			};
		}
		if (Array.isArray(node) || isObject(node)) for (const child of Object.values(node)) visit(child);
	};
	visit(components);
	for (const schema of ['MessageCreateRequest', 'MessageEditRequestPartial']) {
		const request = (components.schemas as JsonObject)[schema] as JsonObject;
		const content = (request.properties as JsonObject).content as JsonObject;
		content.maxLength = 2000;
	}
}

/** Discord's limit on the characters of all of a message's embeds together, which no schema can state. */
const EMBEDS_TOTAL_MAX = 6000;

function textLength(value: unknown): number {
	return typeof value === 'string' ? [...value].length : 0;
}

/** Titles, descriptions, field names and values, footers and author names, as Discord counts them. */
function embedsTotalErrors(body: unknown): BodyValidationError[] {
	const data = isObject(body) && isObject(body.data) ? body.data : body;
	const embeds = isObject(data) && Array.isArray(data.embeds) ? data.embeds : [];
	const total = embeds.filter(isObject).reduce((sum, embed) => {
		const fields = Array.isArray(embed.fields) ? embed.fields.filter(isObject) : [];
		const footer = isObject(embed.footer) ? embed.footer.text : undefined;
		const author = isObject(embed.author) ? embed.author.name : undefined;
		const texts = [
			embed.title,
			embed.description,
			footer,
			author,
			...fields.flatMap((field) => [field.name, field.value]),
		];
		return sum + texts.reduce((count: number, text) => count + textLength(text), 0);
	}, 0);
	if (total <= EMBEDS_TOTAL_MAX) return [];
	const path = data === body ? '/embeds' : '/data/embeds';
	return [{ path, message: `Embed size exceeds maximum size of ${EMBEDS_TOTAL_MAX}` }];
}

function loadSpec(specPath: string): OpenApiDocument {
	const spec = JSON.parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
	alignSpecWithDiscord(spec.components);
	return spec;
}

function pointingIntoComponents(schema: unknown): unknown {
	return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${componentsDocumentId}#/components/`));
}

function simplifyErrors(errors: ErrorObject[]): BodyValidationError[] {
	const unique = new Map<string, BodyValidationError>();
	for (const error of errors) {
		if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'allOf') continue;
		const path = error.instancePath || '/';
		const message = error.message ?? error.keyword;
		unique.set(`${path} ${message}`, { path, message });
	}
	return [...unique.values()];
}

/** Validates request bodies against the operation Discord's OpenAPI spec documents for the path. */
export class OpenApiBodyValidator {
	private readonly spec: OpenApiDocument;
	private readonly ajv: InstanceType<typeof Ajv2020.default>;
	private readonly compiled = new Map<string, ValidateFunction | undefined>();

	constructor(specPath: string) {
		this.spec = loadSpec(specPath);
		// Without inlining and code optimisation, compiling the big unions (interaction callbacks) is about 4x faster.
		this.ajv = new Ajv2020.default({
			strict: false,
			allErrors: true,
			validateSchema: false,
			inlineRefs: false,
			code: { optimize: false },
		});
		addFormats.default(this.ajv);
		this.ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
		this.ajv.addFormat('nonce', true);
		this.ajv.addSchema({ $id: componentsDocumentId, components: this.spec.components });
	}

	/** Empty when the body is valid, or when the spec documents no body for this request. */
	validate(method: string, apiPath: string, body: unknown, multipart: boolean): BodyValidationError[] {
		const found = findMostSpecific(Object.keys(this.spec.paths), (template) => template, apiPath);
		if (!found) return [];
		const contentType = multipart ? 'multipart/form-data' : 'application/json';
		const validate = this.validatorFor(found.match, method.toLowerCase(), contentType);
		if (!validate) return [];
		const schemaErrors = validate(body) ? [] : simplifyErrors(validate.errors ?? []);
		return [...schemaErrors, ...embedsTotalErrors(body)];
	}

	private validatorFor(template: string, method: string, contentType: string): ValidateFunction | undefined {
		const key = `${method} ${template} ${contentType}`;
		if (!this.compiled.has(key)) {
			const content = this.spec.paths[template]?.[method]?.requestBody;
			const schema = this.requestSchema(content, contentType);
			this.compiled.set(
				key,
				schema === undefined ? undefined : this.ajv.compile(pointingIntoComponents(schema) as JsonObject),
			);
		}
		return this.compiled.get(key);
	}

	private requestSchema(requestBody: unknown, contentType: string): unknown {
		if (!isObject(requestBody) || !isObject(requestBody.content)) return undefined;
		const content = requestBody.content;
		const media = content[contentType] ?? content['application/json'];
		return isObject(media) ? media.schema : undefined;
	}
}
