package dominion.proto.rpc;

/** The status of a failed call, carried on the wire as an HTTP status and a name. */
public enum ErrorCode {
  INVALID_ARGUMENT(400),
  UNAUTHENTICATED(401),
  PERMISSION_DENIED(403),
  NOT_FOUND(404),
  ALREADY_EXISTS(409),
  FAILED_PRECONDITION(412),
  RESOURCE_EXHAUSTED(507),
  INTERNAL(500),
  UNAVAILABLE(503);

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The code for an HTTP status a server sent without a body we understand. */
  public static ErrorCode ofHttpStatus(int status) {
    for (ErrorCode code : values()) {
      if (code.httpStatus == status) {
        return code;
      }
    }
    return status >= 500 ? INTERNAL : INVALID_ARGUMENT;
  }
}
