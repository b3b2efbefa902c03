// One error type for the web side: 4xx messages are shown to the member, 5xx are masked.
// The message is a catalog key (locales/<code>/*.json) with its params: the error handler and the
// forms translate it into the reader's language (request.t). Text that is not a key is shown
// as it is.
export type MessageParams = Record<string, unknown>;

export class AppError extends Error {
  readonly statusCode: number;
  /** form field the message belongs beside, when there is one */
  readonly field?: string;
  /** values for the message's {{placeholders}} */
  readonly params?: MessageParams;

  constructor(
    statusCode: number,
    message: string,
    field?: string,
    params?: MessageParams,
  ) {
    super(message);
    this.statusCode = statusCode;
    this.field = field;
    this.params = params;
    this.name = 'AppError';
  }

  static badRequest(message: string, field?: string, params?: MessageParams): AppError {
    return new AppError(400, message, field, params);
  }
  static forbidden(message = 'errors.forbidden', params?: MessageParams): AppError {
    return new AppError(403, message, undefined, params);
  }
  static notFound(message = 'errors.notFoundShort', params?: MessageParams): AppError {
    return new AppError(404, message, undefined, params);
  }
  static conflict(message: string, field?: string, params?: MessageParams): AppError {
    return new AppError(409, message, field, params);
  }
}
