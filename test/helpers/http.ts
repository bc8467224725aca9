/** A response body as JSON, loosely typed: tests assert its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const readJson = (response: Response): Promise<any> => response.json();
