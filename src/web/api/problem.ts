// One error type for the API (Torznab and /api/v1): an HTTP status, a stable machine code
// for the JSON API (`{ error: { code, message } }`), and the Newznab/Torznab error code the
// *arr apps read from `<error code="…" description="…"/>` (codes 100-199 tell them the key is
// bad, which they show as such).
export const PROBLEMS = {
  unauthorized: { status: 401, torznab: 100, text: 'Incorrect user credentials' },
  account_disabled: { status: 403, torznab: 101, text: 'Account suspended' },
  insufficient_scope: { status: 403, torznab: 102, text: 'Insufficient privileges/not authorized' },
  download_forbidden: { status: 403, torznab: 102, text: 'Insufficient privileges/not authorized' },
  missing_parameter: { status: 400, torznab: 200, text: 'Missing parameter' },
  invalid_parameter: { status: 400, torznab: 201, text: 'Incorrect parameter' },
  no_such_function: { status: 400, torznab: 202, text: 'No such function' },
  function_not_available: { status: 400, torznab: 203, text: 'Function not available' },
  not_found: { status: 404, torznab: 300, text: 'No such item' },
  duplicate: { status: 409, torznab: 201, text: 'Incorrect parameter' },
  invalid_torrent: { status: 400, torznab: 201, text: 'Incorrect parameter' },
  payload_too_large: { status: 413, torznab: 201, text: 'Incorrect parameter' },
  unsupported_media_type: { status: 415, torznab: 201, text: 'Incorrect parameter' },
  rate_limited: { status: 429, torznab: 500, text: 'Request limit reached' },
  internal: { status: 500, torznab: 900, text: 'Unknown error' },
} as const;

export type ProblemCode = keyof typeof PROBLEMS;

export class ApiProblem extends Error {
  readonly code: ProblemCode;
  /** the request field at fault, when there is one */
  readonly field?: string;

  constructor(
    code: ProblemCode,
    message: string,
    field?: string,
  ) {
    super(message);
    this.code = code;
    this.field = field;
    this.name = 'ApiProblem';
  }

  get statusCode(): number {
    return PROBLEMS[this.code].status;
  }

  get torznabCode(): number {
    return PROBLEMS[this.code].torznab;
  }
}

/** The JSON body of every /api/v1 error. */
export const problemBody = (problem: ApiProblem) => ({ error: { code: problem.code, message: problem.message } });
