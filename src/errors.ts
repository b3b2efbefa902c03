// One error type for the web side: 4xx messages are shown to the member, 5xx are masked.
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** form field the message belongs beside, when there is one */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(message: string, field?: string): AppError {
    return new AppError(400, message, field);
  }
  static forbidden(message = 'You do not have permission to do that.'): AppError {
    return new AppError(403, message);
  }
  static notFound(message = 'Not found.'): AppError {
    return new AppError(404, message);
  }
  static conflict(message: string, field?: string): AppError {
    return new AppError(409, message, field);
  }
}
