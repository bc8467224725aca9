import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const CLIENT_TYPES_PATH = new URL('../clients/typescript/src/openapi.d.ts', import.meta.url);

/** The typed client's types, generated from the OpenAPI document by openapi-typescript. */
export async function clientTypesOf(document: object): Promise<string> {
  return COMMENT_HEADER + astToString(await openapiTS(document as Parameters<typeof openapiTS>[0]));
}
