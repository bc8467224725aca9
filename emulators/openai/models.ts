import type { FastifyInstance } from 'fastify';
import type { Api } from './answer.js';
import { openAIError, type OpenAIErrorBody } from './openai-errors.js';

// Some of OpenAI's models (https://platform.openai.com/docs/models); any other is unknown, as at OpenAI, unless `models` adds it.
export const KNOWN_MODELS = ['gpt-4o-mini', 'gpt-4o', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'o3', 'o4-mini'];

const modelOf = (id: string) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'local-emulator' });

function modelNotFoundError(model: string): OpenAIErrorBody {
  return openAIError(`The model \`${model}\` does not exist or you do not have access to it.`, null, 'model_not_found');
}

// The Responses API refuses an unknown model with 400, where chat completions (and models) say 404.
export function unknownModelOf(model: string, api: Api): { status: number; error: OpenAIErrorBody } {
  if (api === 'chat') return { status: 404, error: modelNotFoundError(model) };
  return { status: 400, error: openAIError(`The requested model '${model}' does not exist.`, 'model', 'model_not_found') };
}

export function installModelsRoutes(app: FastifyInstance, models: Set<string>) {
  app.get('/v1/models', async () => ({ object: 'list', data: [...models].map(modelOf) }));
  app.get<{ Params: { model: string } }>('/v1/models/:model', async (request, reply) => {
    const { model } = request.params;
    return models.has(model) ? modelOf(model) : reply.status(404).send(modelNotFoundError(model));
  });
}
