/** What an error needs to know about the request that failed, without its credentials. */
export interface RequestContext {
	method: 'GET' | 'POST';
	/** The URL without userinfo, fit for errors and logs. */
	url: string;
	/** Whether a lost or unclear answer may hide a task that was created (and billed). */
	createsTask: boolean;
	/** Removes the API key from any text the provider sent back. */
	redact: (text: string) => string;
}

export function urlWithoutUserinfo(url: string): string {
	const parsed = new URL(url);
	parsed.username = '';
	parsed.password = '';
	return parsed.toString();
}

export function describeRequest(context: RequestContext): string {
	return `Modelverse ${context.method} ${new URL(context.url).pathname}`;
}
