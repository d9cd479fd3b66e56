import { UserError } from '../../domain/errors.js';
import {
	type AcceptedImageType,
	type AcceptedVideoType,
	formatName,
	isAcceptedImageType,
	isAcceptedVideoType,
	normalizeMediaType,
} from './media-types.js';
import { sniffMedia } from './sniff-media.js';

type Expectation = 'image' | 'video';
type AcceptedType<E extends Expectation> = E extends 'image' ? AcceptedImageType : AcceptedVideoType;

const NOT_EXPECTED_KEY = { image: 'input.notImage', video: 'input.notVideo' } as const;
const IS_ACCEPTED = { image: isAcceptedImageType, video: isAcceptedVideoType } as const;

/**
 * Returns the sniffed type when the bytes are an accepted format. A declared type of the same kind that disagrees
 * with the bytes is called out as a mismatch, even when the bytes are acceptable: the product treats a lying file
 * as bad input.
 */
export async function checkMediaType<E extends Expectation>(
	bytes: Uint8Array,
	declaredContentType: string | null | undefined,
	optionName: string,
	expected: E,
): Promise<AcceptedType<E>> {
	const actual = (await sniffMedia(bytes))?.mime;
	const claimed = normalizeMediaType(declaredContentType);
	if (claimed?.startsWith(`${expected}/`) && claimed !== actual) {
		throw actual === undefined
			? new UserError('input.typeMismatchUnknown', { name: optionName, claimed: formatName(claimed) })
			: new UserError('input.typeMismatch', {
					name: optionName,
					claimed: formatName(claimed),
					actual: formatName(actual),
				});
	}
	if (actual === undefined || !IS_ACCEPTED[expected](actual)) {
		throw new UserError(NOT_EXPECTED_KEY[expected], { name: optionName });
	}
	return actual as AcceptedType<E>;
}
