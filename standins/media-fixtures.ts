/** Real files (or their headers, where that is all the bot reads), for the input checks and the end-to-end tests. */
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const uint32 = (value: number) => {
	const bytes = Buffer.alloc(4);
	bytes.writeUInt32BE(value);
	return bytes;
};
/** An ISO base media `ftyp` box, which opens MP4, MOV, M4V and 3GP files. */
const ftyp = (brand: string) =>
	Buffer.concat([uint32(24), latin1('ftyp'), latin1(brand), uint32(0), latin1(brand), latin1('isom')]);

export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
	'base64',
);
// Whole 2 x 2 images, not just headers: the bot reads an image's size from its header, as libvips parses it.
export const JPEG = Buffer.from(
	'/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAIDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAT/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFAEBAAAAAAAAAAAAAAAAAAAABv/EABQRAQAAAAAAAAAAAAAAAAAAAAD/2gAMAwEAAhEDEQA/AKQAI2f/2Q==',
	'base64',
);
export const WEBP = Buffer.from(
	'UklGRjoAAABXRUJQVlA4IC4AAADQAQCdASoCAAIAAUAmJaACdLoB+AADsAD+pNf/TSPGkeNI+Yt/84ljqd3aAAAA',
	'base64',
);
export const GIF = latin1('GIF89a\x01\x00\x01\x00\x00\x00\x00;');
export const PDF = latin1('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n');
export const TEXT = latin1('just some notes, saved with the wrong name\n');
export const MP4 = ftyp('isom');
export const MOV = ftyp('qt  ');
export const M4V = ftyp('M4V ');
export const THREE_GP = ftyp('3gp4');
// EBML header: version 1, max id 4, max size 8, DocType "webm", then the start of a Segment.
export const WEBM = Buffer.from(
	'1a45dfa39f4286810142f7810142f2810442f381084282847765626d428781044285810218538067',
	'hex',
);
