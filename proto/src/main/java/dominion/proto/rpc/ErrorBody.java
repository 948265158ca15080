package dominion.proto.rpc;

/** The JSON body of an error response: {@code {"code":"NOT_FOUND","message":"..."}}. */
record ErrorBody(String code, String message) {}
