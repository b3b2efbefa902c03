// The API context, under /api: Torznab (/api/torznab) and the JSON API (/api/v1), with its
// OpenAPI document and readable docs at /api/docs. Token-authenticated, so none of the web
// context's cookies, sessions or CSRF apply here (plugins live in the context that needs them); its own rate limit counts
// per token, its own multipart parser serves the API upload.
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import { rateLimitStore } from '../../shared/rate-limit-store.js';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { translator } from '../../i18n/index.js';
import { rateLimitKey } from './auth.js';
import { ApiProblem, problemBody } from './problem.js';
import { torznabRoutes } from './torznab/routes.js';
import { v1Routes } from './v1/routes.js';

/** requests a token (or an address without one) may make per minute */
export const API_RATE_LIMIT = 120;

const english = translator('en');

/** Fastify's own errors (validation, body parsing, the rate limit) as API problems. */
export function toProblem(error: FastifyError | ApiProblem): ApiProblem {
  if (error instanceof ApiProblem) return error;
  if (error.validation) return new ApiProblem('invalid_parameter', `Invalid request: ${error.message}`);
  const status = error.statusCode ?? 500;
  if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return new ApiProblem('payload_too_large', 'That upload is too large.');
  if (status === 415) return new ApiProblem('unsupported_media_type', error.message);
  if (status === 429) return new ApiProblem('rate_limited', error.message);
  // shared web code throws AppErrors with catalog keys: the API answers in English
  if (status >= 400 && status < 500) return new ApiProblem('invalid_parameter', error instanceof AppError ? english(error.message, error.params) : error.message);
  return new ApiProblem('internal', 'Something went wrong on our side. It has been logged.');
}

async function handleError(error: FastifyError | ApiProblem, request: FastifyRequest, reply: FastifyReply) {
  const problem = toProblem(error);
  if (problem.code === 'internal') request.log.error({ err: error }, 'api request failed');
  return reply.code(problem.statusCode).header('Cache-Control', 'no-store').send(problemBody(problem));
}

async function registerPlugins(app: FastifyInstance): Promise<void> {
  await app.register(fastifyRateLimit, {
    global: true,
    ...rateLimitStore(app),
    max: API_RATE_LIMIT,
    timeWindow: '1 minute',
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) => new ApiProblem('rate_limited', `Too many requests: at most ${context.max} a minute per token. Retry in ${context.after}.`),
  });
  await app.register(fastifyMultipart, {
    attachFieldsToBody: true,
    limits: { fileSize: app.config.maxTorrentBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 25 },
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: `${app.config.siteName} API`, version: '1', description: 'Personal API tokens: create one at /tokens and send it as `Authorization: Bearer <token>`. Errors are `{ "error": { "code", "message" } }`.' },
      servers: [{ url: app.config.baseUrl }],
      components: { securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer', description: 'a personal API token (sk_…)' } } },
      tags: [{ name: 'releases' }, { name: 'member' }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
}

export async function apiRoutes(app: FastifyInstance): Promise<void> {
  await registerPlugins(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (_request, reply) => reply.code(404).send(problemBody(new ApiProblem('not_found', 'There is nothing at this address: see /api/docs.'))));
  await app.register(torznabRoutes);
  await app.register(v1Routes);
}
